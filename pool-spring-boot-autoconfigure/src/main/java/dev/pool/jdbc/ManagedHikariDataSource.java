package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * A {@link HikariDataSource} that the starter manages: Spring Boot's DataSource, built from
 * the same configuration before its pool starts, and the read pools beside it. It is still a
 * {@code HikariDataSource} (users inject it as one; Spring Boot's meters and metadata see an
 * ordinary HikariCP pool), and adds two things of its own:
 * <ul>
 * <li>strict pre-ping scoped to this pool ({@link #setStrictPrePing(boolean)}): HikariCP
 * checks every connection before handing it out, while other pools in the JVM keep
 * HikariCP's 500 ms window;</li>
 * <li>a {@link ConnectionGuard} in front of every borrow, such as the database circuit
 * breaker;</li>
 * <li>a limit on the callers that wait for a connection ({@link #setMaxWaiting(int)}): the
 * next fails at once with {@link ConnectionWaitLimitException}.</li>
 * </ul>
 * They are set before the pool starts; a borrow then costs HikariCP's own plus one volatile
 * read, a field read, and, with a guard, the guard's usual path.
 */
public class ManagedHikariDataSource extends HikariDataSource {

	private final ConnectionGuard.ConnectionSource pool = super::getConnection;

	private ConnectionGuard guard;

	private boolean strictPrePing;

	private int maxWaiting = -1;

	private final LongAdder refusedWaiting = new LongAdder();

	private volatile boolean started;

	/**
	 * Create a pool that has not started, to be configured like any
	 * {@link HikariDataSource}.
	 */
	public ManagedHikariDataSource() {
	}

	/**
	 * Create a pool with the configuration of another, which has not started.
	 * @param configuration the configuration to copy (HikariCP's own
	 * {@link HikariConfig#copyStateTo(HikariConfig)}), a {@code HikariDataSource} that has
	 * not started, for example
	 * @return a pool that has not started
	 */
	public static ManagedHikariDataSource copyOf(HikariConfig configuration) {
		ManagedHikariDataSource dataSource = new ManagedHikariDataSource();
		configuration.copyStateTo(dataSource);
		return dataSource;
	}

	/**
	 * Set whether HikariCP checks every connection before handing it out (instead of only
	 * those unused for 500 ms). Takes effect when the pool starts.
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
	 * Put a guard in front of every borrow. Set it before the pool is shared.
	 * @param guard the guard, or null for none
	 */
	public void setConnectionGuard(ConnectionGuard guard) {
		checkNotStarted();
		this.guard = guard;
	}

	public ConnectionGuard getConnectionGuard() {
		return this.guard;
	}

	/**
	 * Limit the callers that wait for a connection: with that many waiting, the next fails
	 * at once. HikariCP's own count of waiting callers decides, so callers that arrive at the
	 * very same moment may pass together.
	 * @param maxWaiting the callers allowed to wait; 0 fails at once whenever every
	 * connection is in use; -1 (the default) for no limit
	 */
	public void setMaxWaiting(int maxWaiting) {
		checkNotStarted();
		this.maxWaiting = maxWaiting;
		if (maxWaiting >= 0) {
			// Loaded now, not by the first refused caller: a virtual thread that waits for
			// another to load a class is pinned to its carrier.
			ConnectionWaitLimitException.class.getName();
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

	@Override
	public Connection getConnection() throws SQLException {
		if (!this.started) {
			return start();
		}
		if (this.maxWaiting >= 0) {
			refuseWhenTooManyWait();
		}
		ConnectionGuard guard = this.guard;
		return (guard != null) ? guard.getConnection(this.pool) : super.getConnection();
	}

	private void refuseWhenTooManyWait() throws ConnectionWaitLimitException {
		HikariPoolMXBean pool = getHikariPoolMXBean();
		int limit = this.maxWaiting;
		if (pool != null && pool.getThreadsAwaitingConnection() >= limit
				&& (limit > 0 || pool.getActiveConnections() >= getMaximumPoolSize())) {
			this.refusedWaiting.increment();
			throw new ConnectionWaitLimitException(getPoolName(), limit);
		}
	}

	/**
	 * The first borrow makes HikariCP's pool, with the pre-ping window this pool asks for.
	 */
	private Connection start() throws SQLException {
		try {
			Connection connection = StrictPrePing.whileStarting(this.strictPrePing, getPoolName(),
					() -> (this.guard != null) ? this.guard.getConnection(this.pool) : super.getConnection());
			this.started = true;
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			this.started = getHikariPoolMXBean() != null;
			throw ex;
		}
		catch (Exception ex) {
			throw new SQLException(ex.getMessage(), ex);
		}
	}

	private void checkNotStarted() {
		if (this.started || getHikariPoolMXBean() != null) {
			throw new IllegalStateException("Pool " + getPoolName() + " has started: set this before its first borrow");
		}
	}

}
