package dev.pool.jdbc;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The credentials of a pool's new connections, from files
 * ({@code pool.credentials.*-file}) or a {@link PoolCredentialsProvider}, set on HikariCP
 * as its {@link HikariCredentialsProvider}. When they change, the pool's open connections
 * are retired softly (HikariCP's {@link HikariPoolMXBean#softEvictConnections()}: idle
 * ones closed at once, those in use when they are returned), so no request fails and no
 * connection made with the old secret is used again. A change is seen when a new
 * connection is made and at a periodic {@link #check()}.
 * <p>
 * It also counts the connections the database refused for their credentials (SQLState
 * {@code 28P01} or {@code 28000}, MySQL/MariaDB error 1045) and names the first refusal
 * of each secret in one WARN with where it came from. Health, the meters and the
 * {@code pools} endpoint read it from the pool ({@link #of(HikariDataSource)}); no secret
 * is ever shown.
 */
public final class RotatingCredentials implements HikariCredentialsProvider {

	private static final Log logger = LogFactory.getLog(RotatingCredentials.class);

	private final HikariDataSource pool;

	private final CredentialRotation rotation;

	private RotatingCredentials(HikariDataSource pool, Function<CredentialRotation.Pool, CredentialRotation> rotation) {
		this.pool = pool;
		this.rotation = rotation.apply(new CredentialRotation.Pool(logger, pool::getPoolName, "pool.jdbc.auth.failures",
				RotatingCredentials::refusalOf, this::retire));
	}

	/**
	 * Credentials read from files: a file left null takes the pool's configured value
	 * ({@code spring.datasource.username}, for example).
	 * @param pool the pool, not started
	 * @param usernameFile the file that holds the username, or null
	 * @param passwordFile the file that holds the password, or null
	 * @return the credentials, installed on the pool
	 */
	public static RotatingCredentials files(HikariDataSource pool, SecretFile usernameFile, SecretFile passwordFile) {
		RotatingCredentials credentials = new RotatingCredentials(pool, (owner) -> CredentialRotation.files(owner,
				usernameFile, pool.getUsername(), passwordFile, pool.getPassword()));
		credentials.install();
		return credentials;
	}

	/**
	 * Credentials from a provider bean.
	 * @param pool the pool, not started
	 * @param provider the provider
	 * @param beanName the provider's bean name, for messages
	 * @param dataSource the name of the DataSource the pool belongs to
	 * @param role the pool's role
	 * @return the credentials, installed on the pool
	 */
	public static RotatingCredentials provider(HikariDataSource pool, PoolCredentialsProvider provider, String beanName,
			String dataSource, String role) {
		return provider(pool, provider, beanName, dataSource, role, Clock.systemUTC());
	}

	static RotatingCredentials provider(HikariDataSource pool, PoolCredentialsProvider provider, String beanName,
			String dataSource, String role, Clock clock) {
		RotatingCredentials credentials = new RotatingCredentials(pool, (owner) -> CredentialRotation.provider(owner,
				provider, beanName, dataSource, role, dataSource + " (" + role + ")", dataSource, clock));
		credentials.install();
		return credentials;
	}

	/**
	 * The rotating credentials of a pool.
	 * @param pool a pool
	 * @return its rotating credentials, or null when it has none (its credentials are
	 * properties)
	 */
	public static RotatingCredentials of(HikariDataSource pool) {
		return (pool.getCredentialsProvider() instanceof RotatingCredentials credentials) ? credentials : null;
	}

	/**
	 * Where a pool's credentials come from, never the credentials themselves.
	 * @param pool a pool
	 * @return {@code file: <path>}, {@code provider: <bean name>} or {@code property}
	 */
	public static String sourceOf(HikariDataSource pool) {
		RotatingCredentials credentials = of(pool);
		return (credentials != null) ? credentials.source() : "property";
	}

	/**
	 * The username of a pool's new connections: the one its rotating credentials last
	 * read (a username file, a provider), else the configured one.
	 * @param pool a pool
	 * @return the username, or null when none is configured
	 */
	public static @Nullable String usernameOf(HikariDataSource pool) {
		RotatingCredentials credentials = of(pool);
		String rotating = (credentials != null) ? credentials.rotation.username() : null;
		return (rotating != null) ? rotating : pool.getUsername();
	}

	/**
	 * Describe a pool's credentials for health and the {@code pools} endpoint: where they
	 * come from, and for rotating ones how often they changed and were refused. Never a
	 * secret.
	 * @param pool a pool
	 * @return {@code source}, and {@code rotations}, {@code authenticationFailures},
	 * {@code lastAuthenticationFailure} (when there was one) for rotating credentials
	 */
	public static Map<String, Object> describe(HikariDataSource pool) {
		RotatingCredentials credentials = of(pool);
		return (credentials != null)
				? CredentialRotation.describe(credentials.source(), credentials.rotations(),
						credentials.authenticationFailures(), credentials.lastAuthenticationFailure())
				: CredentialRotation.describe("property", 0, 0, null);
	}

	private void install() {
		this.pool.setCredentialsProvider(this);
		CountingDataSource.install(this.pool, this);
	}

	/**
	 * Return where the credentials come from.
	 * @return {@code file: <path>} (both files, comma-separated, when both are set) or
	 * {@code provider: <bean name>}
	 */
	public String source() {
		return this.rotation.source();
	}

	/**
	 * Return how often the credentials changed since the pool was made.
	 * @return the count of changes seen
	 */
	public long rotations() {
		return this.rotation.rotations();
	}

	/**
	 * Return the new connections the database refused for their credentials.
	 * @return the count since the pool was made
	 */
	public long authenticationFailures() {
		return this.rotation.authFailures();
	}

	/**
	 * Return the last refusal: its SQLState and the database's message, which names no
	 * secret.
	 * @return the last refusal, or null when there was none
	 */
	public String lastAuthenticationFailure() {
		return this.rotation.lastAuthFailure();
	}

	/**
	 * Called by HikariCP for every new connection: the current credentials, read again
	 * only when a file changed or a provider's answer expired.
	 */
	@Override
	public com.zaxxer.hikari.util.Credentials getCredentials() {
		PoolCredentials credentials = this.rotation.resolve();
		return com.zaxxer.hikari.util.Credentials.of(credentials.username(), credentials.password());
	}

	/**
	 * Look whether the credentials changed, and retire the open connections if they did.
	 * The periodic check calls this; it does nothing before the pool started.
	 */
	public void check() {
		if (this.pool.getHikariPoolMXBean() != null && !this.pool.isClosed()) {
			this.rotation.check();
		}
	}

	private void retire() {
		HikariPoolMXBean live = this.pool.getHikariPoolMXBean();
		if (live != null) {
			int open = live.getTotalConnections();
			live.softEvictConnections();
			logger.info("pool: the credentials of " + this.pool.getPoolName() + " (" + source() + ") changed; " + open
					+ " open connection" + ((open != 1) ? "s" : "")
					+ " retired (idle ones now, those in use when returned), new ones use the new credentials");
		}
	}

	/**
	 * Count a failed new connection if the database refused its credentials; the first
	 * refusal of these credentials is logged once.
	 * @param ex why the connection failed
	 */
	void connectionFailed(SQLException ex) {
		this.rotation.connectionFailed(ex);
	}

	/**
	 * A refusal of the credentials: PostgreSQL's 28P01 (invalid password) and 28000
	 * (invalid authorization, also MySQL's and MariaDB's), or MySQL/MariaDB error 1045.
	 */
	static String refusal(Throwable ex) {
		return CredentialRotation.refusal(ex, RotatingCredentials::refusalOf);
	}

	private static String refusalOf(Throwable cause) {
		return (cause instanceof SQLException sql)
				? CredentialRotation.refusal(sql.getSQLState(), sql.getErrorCode(), sql.getMessage()) : null;
	}

	@Override
	public String toString() {
		return "RotatingCredentials[" + source() + "]";
	}

}
