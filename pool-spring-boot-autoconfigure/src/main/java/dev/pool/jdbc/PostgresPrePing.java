package dev.pool.jdbc;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLSocket;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
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
 * Decided per connection, on every borrow: over TLS or GSS encryption the socket's bytes
 * cannot be told from what was already decrypted, so such a connection is checked with a
 * round trip, even in a pool whose other connections are plain ({@code sslmode=prefer}
 * against a server that turns TLS on). Telling costs two field reads and a type check.
 * <p>
 * pgjdbc's own way to look without a query, {@code PGConnection.getNotifications()},
 * tries a 1 ms read on every call when nothing is waiting (measured: a borrow then costs
 * more than the round trip it replaces), so the starter reads pgjdbc's input stream
 * itself, found once through its internal fields. Should a pgjdbc release move them, the
 * pool checks with {@code isValid} instead, and says so once, at start-up, with a WARN.
 * <p>
 * Not seen this way: a socket closed with no message at all (a proxy or a load balancer
 * that closes it, a backend killed with {@code SIGKILL}, a crashed host);
 * {@link PrePingCheck#ROUND_TRIP} sees those, and HikariCP's own check of connections
 * unused for 500 ms covers the idle ones.
 */
final class PostgresPrePing extends PrePing {

	/** pgjdbc's fields this check reads, looked up once. */
	static final Internals INTERNALS = Internals.lookUp("pgStream", "pgInput");

	private final Internals internals;

	private final int validationSeconds;

	private PostgresPrePing(Internals internals, int validationSeconds) {
		this.internals = internals;
		this.validationSeconds = validationSeconds;
	}

	/**
	 * The check for a pool whose first connection is this one.
	 * @param first the pool's first connection
	 * @param validationSeconds the timeout of a round-trip check
	 * @return the check (a round trip when pgjdbc's input cannot be read), or null when
	 * the connection is not PostgreSQL's
	 */
	static @Nullable PrePing forConnection(Connection first, int validationSeconds) throws SQLException {
		return forConnection(first, validationSeconds, INTERNALS);
	}

	/**
	 * The check for a pool whose first connection is this one, reading pgjdbc through the
	 * given fields.
	 * @param first the pool's first connection
	 * @param validationSeconds the timeout of a round-trip check
	 * @param internals pgjdbc's fields ({@link #INTERNALS} but in tests)
	 * @return the check, or null when the connection is not PostgreSQL's
	 */
	static @Nullable PrePing forConnection(Connection first, int validationSeconds, Internals internals)
			throws SQLException {
		if (!first.isWrapperFor(BaseConnection.class)) {
			return null;
		}
		if (internals.isMissing()) {
			internals.warnOnce(first.getMetaData().getDriverVersion());
			return new RoundTrip(validationSeconds);
		}
		return new PostgresPrePing(internals, validationSeconds);
	}

	@Override
	boolean isAlive(Connection connection) {
		try {
			BaseConnection postgres = connection.unwrap(BaseConnection.class);
			if (postgres.isClosed()) {
				return false;
			}
			VisibleBufferedInputStream input = this.internals.input(postgres);
			return (input != null && input.available() == 0) || connection.isValid(this.validationSeconds);
		}
		catch (SQLException | IOException ex) {
			return false;
		}
	}

	@Override
	String description() {
		return "bytes the server already sent (no round trip; isValid when there are some, "
				+ "and for connections over TLS or GSS encryption)";
	}

	/**
	 * The two pgjdbc fields that lead to a connection's input stream
	 * ({@code QueryExecutorBase.pgStream}, {@code PGStream.pgInput}), each null when this
	 * pgjdbc has no such field. The one place the starter reaches into pgjdbc.
	 */
	static final class Internals {

		private static final Log logger = LogFactory.getLog(PostgresPrePing.class);

		private final @Nullable VarHandle stream;

		private final @Nullable VarHandle input;

		private final AtomicBoolean warned = new AtomicBoolean();

		private Internals(@Nullable VarHandle stream, @Nullable VarHandle input) {
			this.stream = stream;
			this.input = input;
		}

		/**
		 * Look the fields up by name.
		 * @param streamField the name of {@code QueryExecutorBase}'s {@code PGStream}
		 * @param inputField the name of {@code PGStream}'s input stream
		 * @return the fields found, null for each one missing
		 */
		static Internals lookUp(String streamField, String inputField) {
			return new Internals(field(QueryExecutorBase.class, streamField, PGStream.class),
					field(PGStream.class, inputField, VisibleBufferedInputStream.class));
		}

		/**
		 * The input stream of a connection over a plain socket.
		 * @param connection pgjdbc's connection
		 * @return its input stream, or null when the connection is encrypted (TLS, GSS)
		 * or the fields are missing
		 */
		@Nullable VisibleBufferedInputStream input(BaseConnection connection) {
			if (this.stream == null || this.input == null
					|| !(connection.getQueryExecutor() instanceof QueryExecutorBase executor)) {
				return null;
			}
			PGStream stream = (PGStream) this.stream.get(executor);
			if (stream == null || stream.isGssEncrypted() || stream.getSocket() instanceof SSLSocket) {
				return null;
			}
			return (VisibleBufferedInputStream) this.input.get(stream);
		}

		boolean isMissing() {
			return this.stream == null || this.input == null;
		}

		void warnOnce(String driverVersion) {
			if (this.warned.compareAndSet(false, true)) {
				logger.warn("pool: this pgjdbc version (" + driverVersion
						+ ") keeps its input where the starter does not look; pool.pre-ping checks every borrow "
						+ "with isValid (a round trip)");
			}
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

}
