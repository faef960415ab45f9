package dev.pool.jdbc;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pool.Credentials;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	private final Source source;

	private final HikariDataSource pool;

	private volatile PoolCredentials current;

	private final LongAdder rotations = new LongAdder();

	private final LongAdder authenticationFailures = new LongAdder();

	private volatile String lastAuthenticationFailure;

	private volatile boolean refusalLogged;

	private RotatingCredentials(Source source, HikariDataSource pool) {
		this.source = source;
		this.pool = pool;
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
		RotatingCredentials credentials = new RotatingCredentials(
				new FileSource(usernameFile, pool.getUsername(), passwordFile, pool.getPassword()), pool);
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
		RotatingCredentials credentials = new RotatingCredentials(
				new ProviderSource(provider, beanName, dataSource, role, clock), pool);
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
	 * Describe a pool's credentials for health and the {@code pools} endpoint: where they
	 * come from, and for rotating ones how often they changed and were refused. Never a
	 * secret.
	 * @param pool a pool
	 * @return {@code source}, and {@code rotations}, {@code authenticationFailures},
	 * {@code lastAuthenticationFailure} (when there was one) for rotating credentials
	 */
	public static Map<String, Object> describe(HikariDataSource pool) {
		Map<String, Object> description = new LinkedHashMap<>();
		RotatingCredentials credentials = of(pool);
		description.put("source", sourceOf(pool));
		if (credentials != null) {
			description.put("rotations", credentials.rotations());
			description.put("authenticationFailures", credentials.authenticationFailures());
			if (credentials.lastAuthenticationFailure() != null) {
				description.put("lastAuthenticationFailure", credentials.lastAuthenticationFailure());
			}
		}
		return description;
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
	public long authenticationFailures() {
		return this.authenticationFailures.sum();
	}

	/**
	 * Return the last refusal: its SQLState and the database's message, which names no
	 * secret.
	 * @return the last refusal, or null when there was none
	 */
	public String lastAuthenticationFailure() {
		return this.lastAuthenticationFailure;
	}

	/**
	 * Called by HikariCP for every new connection: the current credentials, read again
	 * only when a file changed or a provider's answer expired.
	 */
	@Override
	public com.zaxxer.hikari.util.Credentials getCredentials() {
		PoolCredentials credentials = resolve();
		return com.zaxxer.hikari.util.Credentials.of(credentials.username(), credentials.password());
	}

	/**
	 * Look whether the credentials changed, and retire the open connections if they did.
	 * The periodic check calls this; it does nothing before the pool started.
	 */
	public void check() {
		if (this.pool.getHikariPoolMXBean() != null && !this.pool.isClosed()) {
			try {
				resolve();
			}
			catch (RuntimeException ex) {
				// The source said so; the next new connection or check tries again.
			}
		}
	}

	private PoolCredentials resolve() {
		PoolCredentials next;
		try {
			next = this.source.current(this.current);
		}
		catch (Exception ex) {
			throw new IllegalStateException("pool: no credentials for " + this.pool.getPoolName() + " from " + source()
					+ ": " + Credentials.mask(String.valueOf(ex.getMessage())), ex);
		}
		PoolCredentials previous = this.current;
		if (previous == null || !next.sameLogin(previous)) {
			rotate(previous, next);
		}
		else {
			this.current = next;
		}
		return next;
	}

	private synchronized void rotate(PoolCredentials previous, PoolCredentials next) {
		if (this.current != previous) {
			// Another thread rotated meanwhile.
			if (next.sameLogin(this.current)) {
				return;
			}
		}
		this.current = next;
		if (previous == null) {
			return;
		}
		this.rotations.increment();
		this.refusalLogged = false;
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
		String refusal = refusal(ex);
		if (refusal == null) {
			return;
		}
		this.authenticationFailures.increment();
		this.lastAuthenticationFailure = refusal;
		if (!this.refusalLogged) {
			this.refusalLogged = true;
			logger.warn("pool: the database refused the credentials of " + this.pool.getPoolName() + " from " + source()
					+ ": " + refusal + ". New connections keep failing until " + remedy()
					+ "; further refusals are counted in pool.jdbc.auth.failures, not logged.");
		}
	}

	private String remedy() {
		return (this.source instanceof FileSource) ? "the file holds the password the database has"
				: "the provider answers with credentials the database accepts";
	}

	/**
	 * A refusal of the credentials: PostgreSQL's 28P01 (invalid password) and 28000
	 * (invalid authorization, also MySQL's and MariaDB's), or MySQL/MariaDB error 1045.
	 */
	static String refusal(Throwable ex) {
		List<Throwable> seen = new ArrayList<>();
		for (Throwable cause = ex; cause != null && !seen.contains(cause); cause = cause.getCause()) {
			seen.add(cause);
			if (cause instanceof SQLException sql) {
				String state = sql.getSQLState();
				if ("28P01".equals(state) || "28000".equals(state) || sql.getErrorCode() == 1045) {
					return ((state != null) ? state : "error " + sql.getErrorCode()) + " "
							+ Credentials.mask(sql.getMessage());
				}
			}
		}
		return null;
	}

	@Override
	public String toString() {
		return "RotatingCredentials[" + source() + "]";
	}

	/** Where the credentials come from. */
	private interface Source {

		PoolCredentials current(PoolCredentials last) throws Exception;

		String describe();

	}

	/** One or two secret files, the rest from the pool's configuration. */
	private record FileSource(SecretFile usernameFile, String username, SecretFile passwordFile,
			String password) implements Source {

		@Override
		public PoolCredentials current(PoolCredentials last) {
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

	}

	/** A provider bean, its answer kept until the expiry it gives. */
	private static final class ProviderSource implements Source {

		private final PoolCredentialsProvider provider;

		private final String beanName;

		private final String dataSource;

		private final String role;

		private final Clock clock;

		private volatile boolean failureLogged;

		ProviderSource(PoolCredentialsProvider provider, String beanName, String dataSource, String role, Clock clock) {
			this.provider = provider;
			this.beanName = beanName;
			this.dataSource = dataSource;
			this.role = role;
			this.clock = clock;
		}

		@Override
		public PoolCredentials current(PoolCredentials last) throws Exception {
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
					logger.warn("pool: credentials provider " + this.beanName + " failed for " + this.dataSource + " ("
							+ this.role + "): " + Credentials.mask(String.valueOf(ex))
							+ ((last != null) ? "; new connections keep its last answer until it answers again" : ""));
				}
				if (last != null) {
					return last;
				}
				throw ex;
			}
			if (this.failureLogged) {
				this.failureLogged = false;
				logger.info("pool: credentials provider " + this.beanName + " answers again for " + this.dataSource);
			}
			return answer;
		}

		@Override
		public String describe() {
			return "provider: " + this.beanName;
		}

	}

}
