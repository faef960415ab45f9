package dev.pool.jdbc;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;

import javax.net.ssl.SSLSocket;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;
import org.postgresql.core.VisibleBufferedInputStream;

/**
 * Pre-ping of a PostgreSQL connection over a plain socket, without a round trip.
 * <p>
 * An idle connection receives nothing unless something happened on the server's side: a
 * backend that is terminated ({@code pg_terminate_backend}, a restart or shutdown,
 * {@code idle_session_timeout}) sends an error, or a notice, before it closes the socket.
 * So a connection with no byte waiting (those pgjdbc has buffered plus those the socket
 * has received, one {@code available()} call, no read, nothing sent) is handed out, and
 * one with bytes waiting is checked with {@link Connection#isValid(int)}, which reads
 * them: an error makes it dead; a notification ({@code LISTEN}) or a notice leaves it
 * alive.
 * <p>
 * pgjdbc's own way to look without a query, {@code PGConnection.getNotifications()},
 * tries a 1 ms read on every call when nothing is waiting (measured: a borrow then costs
 * more than the round trip it replaces), so the starter reads pgjdbc's input stream
 * itself, found once through its internal fields. Should a pgjdbc release move them, the
 * pool checks with {@code isValid} instead, and says so at start-up.
 * <p>
 * Not seen this way: a socket closed with no message at all (a crashed host, a firewall
 * that drops the connection); HikariCP's own check of connections unused for 500 ms
 * covers the idle ones. Over TLS or GSS encryption the socket's bytes cannot be told from
 * what was already decrypted, so such pools are checked with a round trip.
 */
final class PostgresPrePing extends PrePing {

	private static final Log logger = LogFactory.getLog(PostgresPrePing.class);

	/** {@code QueryExecutorBase.pgStream}, or null when this pgjdbc has no such field. */
	private static final VarHandle STREAM = field(QueryExecutorBase.class, "pgStream", PGStream.class);

	/** {@code PGStream.pgInput}, or null. */
	private static final VarHandle INPUT = field(PGStream.class, "pgInput", VisibleBufferedInputStream.class);

	private final int validationSeconds;

	private PostgresPrePing(int validationSeconds) {
		this.validationSeconds = validationSeconds;
	}

	/**
	 * The check for a pool whose first connection is this one.
	 * @param first the pool's first connection
	 * @param validationSeconds the timeout of a round-trip check
	 * @return the check (a round trip over an encrypted socket, or when pgjdbc's input
	 * cannot be read), or null when the connection is not PostgreSQL's
	 */
	static PrePing forConnection(Connection first, int validationSeconds) throws SQLException {
		if (!first.isWrapperFor(BaseConnection.class)) {
			return null;
		}
		PGStream stream = stream(first.unwrap(BaseConnection.class));
		if (stream == null || INPUT == null) {
			logger.info("pool: this pgjdbc version keeps its input where the starter does not look; pre-ping "
					+ "checks every borrow with isValid (a round trip)");
			return new RoundTrip(validationSeconds);
		}
		if (stream.isGssEncrypted() || stream.getSocket() instanceof SSLSocket) {
			return new RoundTrip(validationSeconds);
		}
		return new PostgresPrePing(validationSeconds);
	}

	private static PGStream stream(BaseConnection connection) {
		if (STREAM == null || !(connection.getQueryExecutor() instanceof QueryExecutorBase executor)) {
			return null;
		}
		return (PGStream) STREAM.get(executor);
	}

	@Override
	boolean isAlive(Connection connection) {
		try {
			BaseConnection postgres = connection.unwrap(BaseConnection.class);
			PGStream stream = stream(postgres);
			if (stream == null || postgres.isClosed()) {
				return false;
			}
			VisibleBufferedInputStream input = (VisibleBufferedInputStream) INPUT.get(stream);
			return input.available() == 0 || connection.isValid(this.validationSeconds);
		}
		catch (SQLException | IOException ex) {
			return false;
		}
	}

	@Override
	String description() {
		return "bytes the server already sent (no round trip; isValid when there are some)";
	}

	private static VarHandle field(Class<?> owner, String name, Class<?> type) {
		try {
			return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
