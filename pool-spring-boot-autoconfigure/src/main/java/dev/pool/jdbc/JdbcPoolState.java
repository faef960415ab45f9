package dev.pool.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * A snapshot of one JDBC pool's connections, each count read once so that they agree:
 * what health, the meters, the {@code pools} endpoint and the server checks show of a
 * pool now. A pool that has not started (HikariCP starts it on the first borrow) has no
 * connection, and the sizes it will start with: HikariCP's default maximum of 10 when
 * none is set, and a size that is not set (or above the maximum) equal to the maximum.
 *
 * @param status whether the pool has started or is closed
 * @param size the connections kept open ({@code minimumIdle}, {@code pool.size})
 * @param max the most connections the pool opens ({@code maximumPoolSize},
 * {@code pool.size + pool.overflow})
 * @param active connections borrowed now
 * @param idle connections open and free now
 * @param waiting callers waiting for a connection now
 */
public record JdbcPoolState(Status status, int size, int max, int active, int idle, int waiting) {

	/** HikariCP's maximum when none is set. */
	private static final int HIKARI_DEFAULT_MAXIMUM = 10;

	/**
	 * Read the state of a pool. The one place where the starter reads a pool's
	 * {@link HikariPoolMXBean} for its readers.
	 * @param pool the pool
	 * @return its state now
	 */
	public static JdbcPoolState of(HikariDataSource pool) {
		int max = maximumOf(pool);
		int size = sizeOf(pool);
		if (pool.isClosed()) {
			return new JdbcPoolState(Status.CLOSED, size, max, 0, 0, 0);
		}
		HikariPoolMXBean live = pool.getHikariPoolMXBean();
		if (live == null) {
			return new JdbcPoolState(Status.NOT_STARTED, size, max, 0, 0, 0);
		}
		return new JdbcPoolState(Status.RUNNING, size, max, live.getActiveConnections(), live.getIdleConnections(),
				live.getThreadsAwaitingConnection());
	}

	/**
	 * Return the most connections a pool opens: HikariCP's {@code maximumPoolSize}, or
	 * its default of 10 until it is set.
	 * @param pool the pool's configuration
	 * @return the maximum
	 */
	public static int maximumOf(HikariConfig pool) {
		return (pool.getMaximumPoolSize() >= 1) ? pool.getMaximumPoolSize() : HIKARI_DEFAULT_MAXIMUM;
	}

	/**
	 * Return the connections a pool keeps open: HikariCP's {@code minimumIdle}, which is
	 * the maximum until it is set, and never above it.
	 * @param pool the pool's configuration
	 * @return the size
	 */
	public static int sizeOf(HikariConfig pool) {
		int max = maximumOf(pool);
		int minimumIdle = pool.getMinimumIdle();
		return (minimumIdle < 0 || minimumIdle > max) ? max : minimumIdle;
	}

	/**
	 * Return the connections open now.
	 * @return {@code active + idle}
	 */
	public int total() {
		return this.active + this.idle;
	}

	/**
	 * Return the connections the pool may open beyond its size.
	 * @return {@code max - size}
	 */
	public int overflow() {
		return this.max - this.size;
	}

	/**
	 * Return the share of the pool in use.
	 * @return {@code active / max}, 0 before the pool started
	 */
	public double utilisation() {
		return (this.max > 0) ? (double) this.active / this.max : 0.0;
	}

	/**
	 * Whether the pool has started and is not closed.
	 * @return true while it runs
	 */
	public boolean isRunning() {
		return this.status == Status.RUNNING;
	}

	/**
	 * Whether a pool runs.
	 */
	public enum Status {

		/** HikariCP starts the pool on its first borrow. */
		NOT_STARTED,

		/** The pool has started. */
		RUNNING,

		/** The pool was closed. */
		CLOSED

	}

}
