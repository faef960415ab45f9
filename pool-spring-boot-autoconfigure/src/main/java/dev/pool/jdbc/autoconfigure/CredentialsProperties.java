package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import dev.pool.autoconfigure.PoolConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationUnit;

/**
 * Credentials that rotate, for one pool: {@code pool.credentials.*},
 * {@code pool.read.credentials.*}, {@code pool.datasources.<name>.credentials.*} and
 * {@code pool.datasources.<name>.read.credentials.*}. The files' paths and the provider's
 * bean name are shown by the endpoints; the secrets never are.
 */
public class CredentialsProperties {

	private static final Duration SHORTEST_INTERVAL = Duration.ofMillis(100);

	/**
	 * File that holds the login username (a Kubernetes secret volume's file, a Vault
	 * agent template's output). New connections use its current content; a change retires
	 * the open connections softly. Unset: the pool's username.
	 */
	private @Nullable String usernameFile;

	/**
	 * File that holds the login password. New connections use its current content; a
	 * change retires the open connections softly (those in use when they are returned).
	 */
	private @Nullable String passwordFile;

	/**
	 * Bean name of the dev.pool.jdbc.PoolCredentialsProvider that gives the pool's
	 * credentials (a cloud IAM token, a Vault client's password). Unset: a single such
	 * bean serves Spring Boot's DataSource (and R2DBC pool).
	 */
	private @Nullable String provider;

	/**
	 * How often the files (or the provider, once its answer expired) are checked for a
	 * change besides when a connection is made (at least 100ms).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration checkInterval = Duration.ofSeconds(5);

	public @Nullable String getUsernameFile() {
		return this.usernameFile;
	}

	public void setUsernameFile(@Nullable String usernameFile) {
		this.usernameFile = usernameFile;
	}

	public @Nullable String getPasswordFile() {
		return this.passwordFile;
	}

	public void setPasswordFile(@Nullable String passwordFile) {
		this.passwordFile = passwordFile;
	}

	public @Nullable String getProvider() {
		return this.provider;
	}

	public void setProvider(@Nullable String provider) {
		this.provider = provider;
	}

	public Duration getCheckInterval() {
		return this.checkInterval;
	}

	public void setCheckInterval(Duration checkInterval) {
		this.checkInterval = checkInterval;
	}

	/**
	 * Whether a file or a provider is set.
	 * @return whether the pool's credentials rotate
	 */
	boolean isSet() {
		return this.usernameFile != null || this.passwordFile != null || this.provider != null;
	}

	/**
	 * Return the check interval, failing the start when it is shorter than 100ms.
	 * @param prefix the keys' prefix ({@code pool.credentials}, ...), for messages
	 * @return the interval
	 */
	public Duration checkedInterval(String prefix) {
		Duration interval = this.checkInterval;
		if (interval == null || interval.compareTo(SHORTEST_INTERVAL) < 0) {
			throw new PoolConfigurationException(prefix + ".check-interval", interval, "100ms or more",
					"Set " + prefix + ".check-interval to 100ms or more (5s when not set).");
		}
		return interval;
	}

	/**
	 * Fail the start when both a provider and files are set.
	 * @param prefix the keys' prefix, for messages
	 */
	public void checkProviderOrFiles(String prefix) {
		if (this.provider != null && (this.usernameFile != null || this.passwordFile != null)) {
			throw new PoolConfigurationException(prefix + ".provider", this.provider, "a provider or files, not both",
					"Remove " + prefix + ".provider or " + prefix + ".username-file and .password-file.");
		}
	}

}
