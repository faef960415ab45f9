package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.postgresql.PGConnection;

/**
 * Pre-ping of a PostgreSQL connection over a plain socket, without a round trip.
 * <p>
 * A backend that goes away on the server's side ({@code pg_terminate_backend}, a restart, a
 * shutdown, {@code idle_session_timeout}) sends an ErrorResponse (and some only a notice)
 * before it closes the socket. pgjdbc reads what the server has sent, without sending
 * anything, when asked for notifications ({@link PGConnection#getNotifications()}): it
 * looks at the bytes already received (one {@code available()} call), throws on an error,
 * and keeps notices as warnings. So a connection is dead when that throws, and is checked
 * with {@link Connection#isValid(int)} when a notice came while it was idle (HikariCP clears
 * the warnings when a connection is returned). pgjdbc also tries a 1 ms read at most once a
 * second per connection, for sockets whose {@code available()} cannot be trusted.
 * <p>
 * A socket closed without any message (a crashed host, a firewall that drops the
 * connection) is not seen this way; HikariCP's own check of connections unused for 500 ms
 * covers the idle ones. Over TLS or GSS encryption {@code available()} sees only what was
 * already decrypted, so such pools are checked with a round trip instead.
 */
final class PostgresPrePing extends PrePing {

	private static final Log logger = LogFactory.getLog(PostgresPrePing.class);

	/** Whether this session's socket is encrypted (TLS, or GSS on PostgreSQL 12 and later). */
	private static final String ENCRYPTED = "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)"
			+ " OR coalesce((SELECT encrypted FROM pg_stat_gssapi WHERE pid = pg_backend_pid()), false)";

	private final int validationSeconds;

	private PostgresPrePing(int validationSeconds) {
		this.validationSeconds = validationSeconds;
	}

	/**
	 * The check for a pool whose first connection is this one.
	 * @param first the pool's first connection, left as it was found
	 * @param validationSeconds the timeout of a round-trip check
	 * @return the check, a round trip for an encrypted connection, or null when the
	 * connection is not PostgreSQL's
	 */
	static PrePing forConnection(Connection first, int validationSeconds) {
		try {
			if (!first.isWrapperFor(PGConnection.class)) {
				return null;
			}
			return encrypted(first) ? new RoundTrip(validationSeconds) : new PostgresPrePing(validationSeconds);
		}
		catch (SQLException ex) {
			logger.debug("pool: could not tell whether the connection is encrypted; pre-ping will use isValid", ex);
			return new RoundTrip(validationSeconds);
		}
	}

	private static boolean encrypted(Connection connection) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(ENCRYPTED)) {
			return !result.next() || result.getBoolean(1);
		}
		finally {
			if (!autoCommit) {
				connection.rollback();
			}
		}
	}

	@Override
	boolean isAlive(Connection connection) {
		try {
			PGConnection postgres = connection.unwrap(PGConnection.class);
			postgres.getNotifications();
			return ((Connection) postgres).getWarnings() == null || connection.isValid(this.validationSeconds);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	@Override
	String description() {
		return "messages the server already sent (no round trip)";
	}

}
