package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A {@link HikariDataSource} that the starter manages: Spring Boot's DataSource, built
 * from the same configuration before its pool starts, and the read pools beside it. It is
 * still a {@code HikariDataSource} (users inject it as one; Spring Boot's meters and
 * metadata see an ordinary HikariCP pool), and adds two things of its own:
 * <ul>
 * <li>strict pre-ping ({@link #setStrictPrePing(boolean)}): no connection is handed out
 * dead, including those used in the last 500 ms, which HikariCP does not check; the check
 * is the cheapest the driver allows ({@link PrePing}), or a round trip on every borrow
 * ({@link #setPrePingCheck(PrePingCheck)}), and a dead connection is evicted and the next
 * one tried; a check that fails is replaced by a round trip, and a borrowed connection is
 * never left open;</li>
 * <li>a {@link ConnectionGuard} in front of every borrow, such as the database circuit
 * breaker;</li>
 * <li>a limit on the callers that wait for a connection ({@link #setMaxWaiting(int)}):
 * the next fails at once with {@link ConnectionWaitLimitException}.</li>
 * </ul>
 * They are set before the pool starts (the limit on waiting callers may also change on a
 * running pool); a borrow then costs HikariCP's own plus one volatile read, two field
 * reads, the pre-ping's check, and, with a guard, the guard's usual path.
 */
public class ManagedHikariDataSource extends HikariDataSource {

	private static final Log logger = LogFactory.getLog(ManagedHikariDataSource.class);

	private final ConnectionGuard.ConnectionSource pool = super::getConnection;

	private ConnectionGuard guard;

	private boolean strictPrePing;

	private PrePingCheck prePingCheck = PrePingCheck.AUTO;

	/** The driver's part of the choice of the check: a seam for tests. */
	private PrePing.DriverCheck driverCheck = PrePing.DRIVER;

	/**
	 * Chosen from the first connection, before {@link #started} is set; replaced by a
	 * round trip if the driver's check throws.
	 */
	private PrePing prePing;

	private final LongAdder deadOnBorrow = new LongAdder();

	private int maxWaiting = -1;

	private final LongAdder refusedWaiting = new LongAdder();

	private volatile boolean started;

	/** What this pool has done, recorded by its metrics tracker; null when none is. */
	private JdbcPoolStats stats;

	/**
	 * Create a pool that has not started, to be configured like any
	 * {@link HikariDataSource}.
	 */
	public ManagedHikariDataSource() {
	}

	/**
	 * Create a pool with the configuration of another, which has not started.
	 * @param configuration the configuration to copy (HikariCP's own
	 * {@link HikariConfig#copyStateTo(HikariConfig)}), a {@code HikariDataSource} that
	 * has not started, for example
	 * @return a pool that has not started
	 */
	public static ManagedHikariDataSource copyOf(HikariConfig configuration) {
		ManagedHikariDataSource dataSource = new ManagedHikariDataSource();
		configuration.copyStateTo(dataSource);
		return dataSource;
	}

	/**
	 * Set whether every connection is checked before it is handed out, not only those
	 * that HikariCP checks (unused for 500 ms). Takes effect when the pool starts.
	 * @param strictPrePing whether every borrow is checked
	 */
	public void setStrictPrePing(boolean strictPrePing) {
		checkNotStarted();
		this.strictPrePing = strictPrePing;
	}

	public boolean isStrictPrePing() {
		return this.strictPrePing;
	}

	/**
	 * Set how strict pre-ping checks a connection. Takes effect when the pool starts.
	 * @param prePingCheck the check ({@link PrePingCheck#AUTO} by default)
	 */
	public void setPrePingCheck(PrePingCheck prePingCheck) {
		checkNotStarted();
		this.prePingCheck = prePingCheck;
	}

	public PrePingCheck getPrePingCheckMode() {
		return this.prePingCheck;
	}

	/**
	 * Replace the driver's part of the choice of the check, to make it fail in tests.
	 * @param driverCheck the driver's check
	 */
	void setDriverCheck(PrePing.DriverCheck driverCheck) {
		checkNotStarted();
		this.driverCheck = driverCheck;
	}

	/**
	 * Return how this pool checks a connection before handing it out.
	 * @return a description of the check, or null before the pool started or without
	 * strict pre-ping
	 */
	public @Nullable String getPrePingCheck() {
		PrePing prePing = this.started ? this.prePing : null;
		return (prePing != null) ? prePing.description() : null;
	}

	/**
	 * Return the connections found dead by the pre-ping as they were borrowed, and
	 * evicted.
	 * @return the count since start
	 */
	public long getDeadOnBorrowCount() {
		return this.deadOnBorrow.sum();
	}

	/**
	 * Put a guard in front of every borrow. Set it before the pool is shared.
	 * @param guard the guard, or null for none
	 */
	public void setConnectionGuard(@Nullable ConnectionGuard guard) {
		checkNotStarted();
		this.guard = guard;
	}

	public ConnectionGuard getConnectionGuard() {
		return this.guard;
	}

	/**
	 * Limit the callers that wait for a connection: with that many waiting and no
	 * connection idle, the next fails at once. HikariCP's own count of waiting callers
	 * decides, so callers that arrive at the very same moment may pass together. Unlike
	 * the other settings of this class, it may also be changed on a running pool (a
	 * config refresh does), as HikariCP's own sizes may.
	 * @param maxWaiting the callers allowed to wait; 0 fails at once whenever every
	 * connection is in use; -1 (the default) for no limit
	 */
	public void setMaxWaiting(int maxWaiting) {
		if (maxWaiting >= 0) {
			// Loaded now, not by the first refused caller: a virtual thread that waits
			// for another to load a class is pinned to its carrier.
			ConnectionWaitLimitException.class.getName();
		}
		this.maxWaiting = maxWaiting;
		if (this.started) {
			// A borrow reads the volatile started flag before maxWaiting: writing it
			// again publishes the new limit to every borrow that follows, and keeps the
			// borrow's read a plain one.
			this.started = true;
		}
	}

	public int getMaxWaiting() {
		return this.maxWaiting;
	}

	/**
	 * Return the connection requests refused at once because {@link #getMaxWaiting()}
	 * callers already waited.
	 * @return the count since start
	 */
	public long getRefusedWaitingCount() {
		return this.refusedWaiting.sum();
	}

	/**
	 * Return what this pool has done since it started: its statistics belong to it, not
	 * to its name. The starter sets them with the metrics tracker that records them.
	 * @return the statistics, or null when nothing records them
	 */
	public JdbcPoolStats getStats() {
		return this.stats;
	}

	/**
	 * Set the statistics of this pool, recorded by the metrics tracker factory set on it
	 * ({@link #setMetricsTrackerFactory}). Set them before the pool starts.
	 * @param stats the statistics
	 */
	public void setStats(JdbcPoolStats stats) {
		checkNotStarted();
		this.stats = stats;
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (!this.started) {
			return start();
		}
		if (this.maxWaiting >= 0) {
			refuseWhenTooManyWait();
		}
		PrePing prePing = this.prePing;
		return (prePing != null) ? alive(borrow(), prePing) : borrow();
	}

	private Connection borrow() throws SQLException {
		ConnectionGuard guard = this.guard;
		return (guard != null) ? guard.getConnection(this.pool) : super.getConnection();
	}

	/**
	 * Hand out a live connection: a dead one is evicted (HikariCP closes it and opens a
	 * replacement when the pool is below its size) and the next one is tried. When as
	 * many connections as the pool holds, plus one, were dead in a row, the server is
	 * going away: the caller gets the error rather than a wait for connections that fail
	 * as they open.
	 */
	private Connection alive(Connection connection, PrePing prePing) throws SQLException {
		int dead = 0;
		while (!isAlive(connection, prePing)) {
			evictConnection(connection);
			this.deadOnBorrow.increment();
			if (++dead > getMaximumPoolSize()) {
				throw new SQLTransientConnectionException(getPoolName() + " - " + dead
						+ " connections in a row were found dead by pool.pre-ping; the database closed them");
			}
			connection = borrow();
		}
		return connection;
	}

	/**
	 * The check of one connection. A check that throws (a driver other than the one the
	 * starter was built against) is replaced by a round trip for good; anything else that
	 * escapes evicts the connection: a borrowed connection is never left open.
	 */
	private boolean isAlive(Connection connection, PrePing prePing) {
		try {
			try {
				return prePing.isAlive(connection);
			}
			catch (RuntimeException | LinkageError ex) {
				return fallBackToRoundTrip(prePing, ex).isAlive(connection);
			}
		}
		catch (Throwable ex) {
			evictConnection(connection);
			throw ex;
		}
	}

	private synchronized PrePing fallBackToRoundTrip(PrePing failed, Throwable ex) {
		if (this.prePing == failed || this.prePing == null) {
			logger.warn("pool: pool.pre-ping's check of " + getPoolName() + " failed (" + ex
					+ "); every borrow is checked with isValid (a round trip) from now on");
			this.prePing = new PrePing.RoundTrip(validationSeconds());
		}
		return this.prePing;
	}

	private void refuseWhenTooManyWait() throws ConnectionWaitLimitException {
		HikariPoolMXBean pool = getHikariPoolMXBean();
		int limit = this.maxWaiting;
		// Asked twice: counting idle connections is not atomic, and a count that missed
		// one should not refuse a caller.
		if (pool != null && wouldWait(pool, limit) && wouldWait(pool, limit)) {
			this.refusedWaiting.increment();
			throw new ConnectionWaitLimitException(getPoolName(), limit);
		}
	}

	/**
	 * Whether the waiting room is full. HikariCP counts as waiting every borrower that
	 * has not found a connection in its own thread's list, including those only scanning
	 * the pool for an idle one (every borrow on a new virtual thread, such as each
	 * request's): while a connection is idle, nobody is refused. The idle count, a walk
	 * over the pool's connections, is taken only once the waiting count is at the limit.
	 */
	private boolean wouldWait(HikariPoolMXBean pool, int limit) {
		return pool.getThreadsAwaitingConnection() >= limit
				&& ((limit > 0) ? pool.getIdleConnections() == 0 : pool.getActiveConnections() >= getMaximumPoolSize());
	}

	/**
	 * The first borrows make HikariCP's pool (HikariCP makes it once); the first
	 * connection tells how the pool's pre-ping checks the next ones.
	 */
	private Connection start() throws SQLException {
		Connection connection = borrow();
		if (this.strictPrePing) {
			PrePing prePing;
			try {
				prePing = choosePrePing(connection);
			}
			catch (Throwable ex) {
				evictConnection(connection);
				throw ex;
			}
			connection = alive(connection, prePing);
		}
		this.started = true;
		return connection;
	}

	private synchronized PrePing choosePrePing(Connection first) {
		if (this.prePing == null) {
			this.prePing = PrePing.choose(getJdbcUrl(), first, validationSeconds(), this.prePingCheck,
					this.driverCheck);
		}
		return this.prePing;
	}

	private int validationSeconds() {
		return (int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(getValidationTimeout()));
	}

	private void checkNotStarted() {
		if (this.started || getHikariPoolMXBean() != null) {
			throw new IllegalStateException("Pool " + getPoolName() + " has started: set this before its first borrow");
		}
	}

}
