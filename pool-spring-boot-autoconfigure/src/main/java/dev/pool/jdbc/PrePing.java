package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * How one pool makes sure a connection is alive before it hands it out
 * ({@code pool.pre-ping}), chosen from the pool's first connection: the driver, and the
 * check the user asked for ({@code pool.pre-ping-check}).
 * <p>
 * HikariCP itself checks, with {@link Connection#isValid(int)}, every connection that was
 * not used in the last 500 ms. The starter checks the others too, as cheaply as the
 * driver allows:
 * <ul>
 * <li>PostgreSQL over a plain socket: {@linkplain PostgresPrePing whether the server has
 * sent anything} to the idle connection, without a read or a query. A backend that is
 * terminated, restarted or timed out sends an error before it closes, so a connection
 * with nothing waiting is alive, and one with bytes waiting is checked with a round trip.
 * Decided per connection: one over TLS or GSS encryption in the same pool
 * ({@code sslmode=prefer}) gets the round trip.</li>
 * <li>SQLite: none beyond HikariCP's own: the database is a file in this process, nothing
 * closes its connections from the outside.</li>
 * <li>every other driver, and PostgreSQL over TLS or GSS encryption (whose buffered
 * messages cannot be seen without a read): {@link Connection#isValid(int)}, one round
 * trip.</li>
 * </ul>
 * With {@link PrePingCheck#ROUND_TRIP} every pool checks every borrow with
 * {@link Connection#isValid(int)}, which also sees a connection closed without a message.
 */
abstract class PrePing {

	private static final Log logger = LogFactory.getLog(PrePing.class);

	private static final boolean postgresPresent = ClassUtils.isPresent("org.postgresql.PGConnection",
			PrePing.class.getClassLoader());

	/**
	 * Whether a connection, just borrowed from the pool, can be handed out.
	 * @param connection the connection HikariCP hands out
	 * @return false for a connection that must be evicted
	 */
	abstract boolean isAlive(Connection connection);

	/**
	 * What this check costs per borrow, for the log and the {@code pools} endpoint.
	 * @return a short description
	 */
	abstract String description();

	/**
	 * Choose how a pool checks its connections. Whatever the driver's part throws, a
	 * {@link LinkageError} included (a driver other than the one the starter was built
	 * against), the pool falls back to {@link Connection#isValid(int)} and says so.
	 * @param jdbcUrl the pool's JDBC URL, or null
	 * @param first the pool's first connection, which is left as it was found
	 * @param validationSeconds the timeout of a round-trip check
	 * @param check the check the user asked for
	 * @param driverCheck the driver's own check ({@link #DRIVER} but in tests)
	 * @return the pool's check
	 */
	static PrePing choose(@Nullable String jdbcUrl, Connection first, int validationSeconds, PrePingCheck check,
			DriverCheck driverCheck) {
		if (check == PrePingCheck.ROUND_TRIP) {
			return new RoundTrip(validationSeconds);
		}
		try {
			PrePing chosen = driverCheck.forConnection(jdbcUrl, first, validationSeconds);
			if (chosen != null) {
				return chosen;
			}
		}
		catch (SQLException ex) {
			// Not a connection that can tell: the round trip works with every driver.
		}
		catch (RuntimeException | LinkageError ex) {
			logger.warn("pool: pool.pre-ping cannot use the driver's own check (" + ex
					+ "); every borrow is checked with isValid (a round trip) instead");
		}
		return new RoundTrip(validationSeconds);
	}

	/**
	 * The driver's own check: none on SQLite, {@link PostgresPrePing} with pgjdbc, null
	 * (a round trip) with every other driver.
	 */
	static final DriverCheck DRIVER = (jdbcUrl, first, validationSeconds) -> {
		if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:sqlite:")) {
			return PrePing.NONE;
		}
		return postgresPresent ? PostgresPrePing.forConnection(first, validationSeconds) : null;
	};

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
	 * The part of the choice that depends on the driver: a seam, so that tests can make
	 * it fail as a driver other than the one built against would.
	 */
	@FunctionalInterface
	interface DriverCheck {

		/**
		 * The check for a pool whose first connection is this one.
		 * @param jdbcUrl the pool's JDBC URL, or null
		 * @param first the pool's first connection, left as it was found
		 * @param validationSeconds the timeout of a round-trip check
		 * @return the check, or null for a round trip
		 * @throws SQLException if the connection cannot tell
		 */
		@Nullable PrePing forConnection(@Nullable String jdbcUrl, Connection first, int validationSeconds) throws SQLException;

	}

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
