package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import org.springframework.util.ClassUtils;

/**
 * How one pool makes sure a connection is alive before it hands it out
 * ({@code pool.pre-ping}), chosen from the pool's first connection.
 * <p>
 * HikariCP itself checks, with {@link Connection#isValid(int)}, every connection that was
 * not used in the last 500 ms. The starter checks the others too, as cheaply as the
 * driver allows:
 * <ul>
 * <li>PostgreSQL over a plain socket: {@linkplain PostgresPrePing whether the server has
 * sent anything} to the idle connection, without a read or a query. A backend that is
 * terminated, restarted or timed out sends an error before it closes, so a connection
 * with nothing waiting is alive, and one with bytes waiting is checked with a round
 * trip.</li>
 * <li>SQLite: none beyond HikariCP's own: the database is a file in this process, nothing
 * closes its connections from the outside.</li>
 * <li>every other driver, and PostgreSQL over TLS or GSS encryption (whose buffered
 * messages cannot be seen without a read): {@link Connection#isValid(int)}, one round
 * trip.</li>
 * </ul>
 */
abstract class PrePing {

	private static final boolean postgresPresent = ClassUtils.isPresent("org.postgresql.PGConnection",
			PrePing.class.getClassLoader());

	/**
	 * Whether a connection, just borrowed from the pool, can be handed out.
	 * @param connection HikariCP's connection
	 * @return false for a connection that must be evicted
	 */
	abstract boolean isAlive(Connection connection);

	/**
	 * What this check costs per borrow, for the log and the {@code pools} endpoint.
	 * @return a short description
	 */
	abstract String description();

	/**
	 * Choose how a pool checks its connections.
	 * @param jdbcUrl the pool's JDBC URL, or null
	 * @param first the pool's first connection, which is left as it was found
	 * @param validationSeconds the timeout of a round-trip check
	 * @return the pool's check
	 */
	static PrePing choose(String jdbcUrl, Connection first, int validationSeconds) {
		if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:sqlite:")) {
			return NONE;
		}
		if (postgresPresent) {
			try {
				PrePing postgres = PostgresPrePing.forConnection(first, validationSeconds);
				if (postgres != null) {
					return postgres;
				}
			}
			catch (SQLException ex) {
				// Not a connection that can tell: the round trip works with every driver.
			}
		}
		return new RoundTrip(validationSeconds);
	}

	static final PrePing NONE = new PrePing() {

		@Override
		boolean isAlive(Connection connection) {
			return true;
		}

		@Override
		String description() {
			return "none (an embedded database)";
		}

	};

	/**
	 * {@link Connection#isValid(int)} on every borrow: one round trip to the server.
	 */
	static final class RoundTrip extends PrePing {

		private final int timeoutSeconds;

		RoundTrip(int timeoutSeconds) {
			this.timeoutSeconds = timeoutSeconds;
		}

		@Override
		boolean isAlive(Connection connection) {
			try {
				return connection.isValid(this.timeoutSeconds);
			}
			catch (SQLException ex) {
				return false;
			}
		}

		@Override
		String description() {
			return "isValid (one round trip per borrow)";
		}

	}

}
