package dev.pool.jdbc;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.pool.Credentials;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * What rotating credentials do whatever the pool (JDBC's {@link RotatingCredentials},
 * R2DBC's {@code RotatingR2dbcCredentials}): read them from files or a
 * {@link PoolCredentialsProvider}, see when they change, count the changes and the
 * connections the database refused for their credentials, and name the first refusal of
 * each secret in one WARN. The pool's own part (retiring its connections, telling a
 * refusal from its exceptions) is given to it. No secret is ever shown.
 */
public final class CredentialRotation {

	private final Pool pool;

	private final Source source;

	private volatile @Nullable PoolCredentials current;

	private final LongAdder rotations = new LongAdder();

	private final LongAdder authFailures = new LongAdder();

	private volatile @Nullable String lastAuthFailure;

	private volatile boolean refusalLogged;

	private CredentialRotation(Pool pool, Source source) {
		this.pool = pool;
		this.source = source;
	}

	/**
	 * Credentials read from files: a file left null takes the configured value.
	 * @param pool the pool the credentials are of
	 * @param usernameFile the file that holds the username, or null
	 * @param username the configured username, or null
	 * @param passwordFile the file that holds the password, or null
	 * @param password the configured password, or null
	 * @return the rotation
	 */
	public static CredentialRotation files(Pool pool, @Nullable SecretFile usernameFile, @Nullable String username,
			@Nullable SecretFile passwordFile, @Nullable String password) {
		return new CredentialRotation(pool, new FileSource(usernameFile, username, passwordFile, password));
	}

	/**
	 * Credentials from a provider bean, its answer kept until the expiry it gives.
	 * @param pool the pool the credentials are of
	 * @param provider the provider
	 * @param beanName the provider's bean name, for messages
	 * @param dataSource the name the provider is asked with
	 * @param role the role the provider is asked with
	 * @param failedFor what the provider failed for, in messages
	 * @param answersFor what the provider answers again for, in messages
	 * @param clock the clock an answer's expiry is compared with
	 * @return the rotation
	 */
	public static CredentialRotation provider(Pool pool, PoolCredentialsProvider provider, String beanName,
			String dataSource, String role, String failedFor, String answersFor, Clock clock) {
		return new CredentialRotation(pool,
				new ProviderSource(pool.log(), provider, beanName, dataSource, role, failedFor, answersFor, clock));
	}

	/**
	 * Describe credentials for health and the {@code pools} endpoint. Never a secret.
	 * @param source where they come from ({@code property} when they do not rotate)
	 * @param rotations how often they changed
	 * @param authFailures how often the database refused them
	 * @param lastAuthFailure the last refusal, or null
	 * @return {@code source}, and for rotating credentials {@code rotations},
	 * {@code authenticationFailures} and {@code lastAuthenticationFailure} (when there
	 * was one)
	 */
	public static Map<String, Object> describe(String source, long rotations, long authFailures,
			@Nullable String lastAuthFailure) {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("source", source);
		if (!"property".equals(source)) {
			description.put("rotations", rotations);
			description.put("authenticationFailures", authFailures);
			if (lastAuthFailure != null) {
				description.put("lastAuthenticationFailure", lastAuthFailure);
			}
		}
		return description;
	}

	/**
	 * Whether the username comes from here (a username file or a provider) rather than
	 * from the configuration.
	 * @return true when the username rotates
	 */
	public boolean rotatesUsername() {
		return this.source.rotatesUsername();
	}

	/**
	 * Whether the password comes from here.
	 * @return true when the password rotates
	 */
	public boolean rotatesPassword() {
		return this.source.rotatesPassword();
	}

	/**
	 * Return the username of the pool's new connections, once the credentials have been
	 * read: from the file or the provider when the username rotates. Never the password.
	 * @return the username, or null when the credentials were not read yet or the
	 * username does not rotate
	 */
	public @Nullable String username() {
		PoolCredentials current = this.current;
		return (current != null && rotatesUsername()) ? current.username() : null;
	}

	/**
	 * Return where the credentials come from.
	 * @return {@code file: <path>} (both files, comma-separated, when both are set) or
	 * {@code provider: <bean name>}
	 */
	public String source() {
		return this.source.describe();
	}

	/**
	 * Return how often the credentials changed since the pool was made.
	 * @return the count of changes seen
	 */
	public long rotations() {
		return this.rotations.sum();
	}

	/**
	 * Return the new connections the database refused for their credentials.
	 * @return the count since the pool was made
	 */
	public long authFailures() {
		return this.authFailures.sum();
	}

	/**
	 * Return the last refusal: its SQLState and the database's message, which names no
	 * secret.
	 * @return the last refusal, or null when there was none
	 */
	public @Nullable String lastAuthFailure() {
		return this.lastAuthFailure;
	}

	/**
	 * Look whether the credentials changed; a change retires the pool's connections. A
	 * failure is left to the next new connection or check.
	 */
	public void check() {
		try {
			resolve();
		}
		catch (RuntimeException ex) {
			// The source said so; the next new connection or check tries again.
		}
	}

	/**
	 * Return the current credentials, reading a changed file or asking the provider once
	 * its answer expired; a change retires the pool's connections.
	 * @return the credentials
	 * @throws IllegalStateException when there are none (the provider failed and never
	 * answered before)
	 */
	public PoolCredentials resolve() {
		PoolCredentials next;
		PoolCredentials previous = this.current;
		try {
			next = this.source.current(previous);
		}
		catch (Exception ex) {
			throw new IllegalStateException("pool: no credentials for " + this.pool.name().get() + " from " + source()
					+ ": " + Credentials.mask(String.valueOf(ex.getMessage())), ex);
		}
		if (previous == null || !next.sameLogin(previous)) {
			rotate(previous, next);
		}
		else {
			this.current = next;
		}
		return next;
	}

	private synchronized void rotate(@Nullable PoolCredentials previous, PoolCredentials next) {
		if (this.current != previous && next.sameLogin(this.current)) {
			// Another thread rotated meanwhile.
			return;
		}
		this.current = next;
		if (previous == null) {
			return;
		}
		this.pool.retire().run();
		this.rotations.increment();
		this.refusalLogged = false;
	}

	/**
	 * Count a failed new connection if the database refused its credentials; the first
	 * refusal of these credentials is logged once.
	 * @param ex why the connection failed
	 */
	public void connectionFailed(Throwable ex) {
		String refusal = refusal(ex);
		if (refusal == null) {
			return;
		}
		this.authFailures.increment();
		this.lastAuthFailure = refusal;
		if (!this.refusalLogged) {
			this.refusalLogged = true;
			this.pool.log()
				.warn("pool: the database refused the credentials of " + this.pool.name().get() + " from " + source()
						+ ": " + refusal + ". New connections keep failing until "
						+ ((this.source instanceof FileSource) ? "the file holds the password the database has"
								: "the provider answers with credentials the database accepts")
						+ "; further refusals are counted in " + this.pool.failuresMeter() + ", not logged.");
		}
	}

	/**
	 * The refusal of the credentials among a failure's causes.
	 * @param ex a failure to connect
	 * @return the SQLState and the masked message, or null when it is no refusal
	 */
	public @Nullable String refusal(Throwable ex) {
		return refusal(ex, this.pool.refusalOf());
	}

	/**
	 * The refusal of the credentials among a failure's causes.
	 * @param ex a failure to connect
	 * @param refusalOf the refusal one cause is, or null
	 * @return the first refusal, or null when there is none
	 */
	public static @Nullable String refusal(Throwable ex, Function<Throwable, @Nullable String> refusalOf) {
		List<Throwable> seen = new ArrayList<>();
		for (Throwable cause = ex; cause != null && !seen.contains(cause); cause = cause.getCause()) {
			seen.add(cause);
			String refusal = refusalOf.apply(cause);
			if (refusal != null) {
				return refusal;
			}
		}
		return null;
	}

	/**
	 * A refusal of the credentials: PostgreSQL's 28P01 (invalid password) and 28000
	 * (invalid authorization, also MySQL's and MariaDB's), or MySQL/MariaDB error 1045.
	 * @param state the SQLState, or null
	 * @param errorCode the vendor's error code
	 * @param message the database's message, or null
	 * @return the SQLState (or error code) and the masked message, or null when it is no
	 * refusal
	 */
	public static @Nullable String refusal(@Nullable String state, int errorCode, @Nullable String message) {
		if ("28P01".equals(state) || "28000".equals(state) || errorCode == 1045) {
			return ((state != null) ? state : "error " + errorCode) + " " + Credentials.mask(String.valueOf(message));
		}
		return null;
	}

	@Override
	public String toString() {
		return "CredentialRotation[" + source() + "]";
	}

	/**
	 * The pool's own part of the rotation.
	 *
	 * @param log the log of the pool's credentials
	 * @param name the pool as messages name it
	 * @param failuresMeter the meter that counts refusals, for messages
	 * @param refusalOf the refusal one exception of a failure's causes is (see
	 * {@link #refusal(String, int, String)}), or null when it is none
	 * @param retire what retires the pool's connections when the credentials changed
	 */
	public record Pool(Log log, Supplier<String> name, String failuresMeter,
			Function<Throwable, @Nullable String> refusalOf, Runnable retire) {

	}

	/** Where the credentials come from. */
	private interface Source {

		PoolCredentials current(@Nullable PoolCredentials last) throws Exception;

		String describe();

		boolean rotatesUsername();

		boolean rotatesPassword();

	}

	/** One or two secret files, the rest from the configuration. */
	private record FileSource(@Nullable SecretFile usernameFile, @Nullable String username,
			@Nullable SecretFile passwordFile, @Nullable String password) implements Source {

		@Override
		public PoolCredentials current(@Nullable PoolCredentials last) {
			if (this.usernameFile != null) {
				this.usernameFile.refresh();
			}
			if (this.passwordFile != null) {
				this.passwordFile.refresh();
			}
			return PoolCredentials.of((this.usernameFile != null) ? this.usernameFile.content() : this.username,
					(this.passwordFile != null) ? this.passwordFile.content() : this.password);
		}

		@Override
		public String describe() {
			List<String> paths = new ArrayList<>();
			if (this.usernameFile != null) {
				paths.add(this.usernameFile.path().toString());
			}
			if (this.passwordFile != null) {
				paths.add(this.passwordFile.path().toString());
			}
			return "file: " + String.join(", ", paths);
		}

		@Override
		public boolean rotatesUsername() {
			return this.usernameFile != null;
		}

		@Override
		public boolean rotatesPassword() {
			return this.passwordFile != null;
		}

	}

	/** A provider bean, its answer kept until the expiry it gives. */
	private static final class ProviderSource implements Source {

		private final Log logger;

		private final PoolCredentialsProvider provider;

		private final String beanName;

		private final String dataSource;

		private final String role;

		private final String failedFor;

		private final String answersFor;

		private final Clock clock;

		private volatile boolean failureLogged;

		ProviderSource(Log logger, PoolCredentialsProvider provider, String beanName, String dataSource, String role,
				String failedFor, String answersFor, Clock clock) {
			this.logger = logger;
			this.provider = provider;
			this.beanName = beanName;
			this.dataSource = dataSource;
			this.role = role;
			this.failedFor = failedFor;
			this.answersFor = answersFor;
			this.clock = clock;
		}

		@Override
		public PoolCredentials current(@Nullable PoolCredentials last) throws Exception {
			Instant now = this.clock.instant();
			if (last != null && last.expiresAt() != null && now.isBefore(last.expiresAt())) {
				return last;
			}
			PoolCredentials answer;
			try {
				answer = this.provider.getCredentials(this.dataSource, this.role);
				if (answer == null) {
					throw new IllegalStateException("provider " + this.beanName + " answered null");
				}
			}
			catch (Exception ex) {
				if (!this.failureLogged) {
					this.failureLogged = true;
					this.logger.warn("pool: credentials provider " + this.beanName + " failed for " + this.failedFor
							+ ": " + Credentials.mask(String.valueOf(ex))
							+ ((last != null) ? "; new connections keep its last answer until it answers again" : ""));
				}
				if (last != null) {
					return last;
				}
				throw ex;
			}
			if (this.failureLogged) {
				this.failureLogged = false;
				this.logger
					.info("pool: credentials provider " + this.beanName + " answers again for " + this.answersFor);
			}
			return answer;
		}

		@Override
		public String describe() {
			return "provider: " + this.beanName;
		}

		@Override
		public boolean rotatesUsername() {
			return true;
		}

		@Override
		public boolean rotatesPassword() {
			return true;
		}

	}

}
