package dev.pool.jdbc;

import java.sql.SQLTransientConnectionException;

import dev.pool.WaitLimitReached;

/**
 * Thrown at once, instead of queueing for {@code pool.acquire-timeout}, when a connection
 * is asked for while {@code pool.max-waiting} callers already wait for one and none is
 * idle. It is an {@link SQLTransientConnectionException} (SQLState {@code 08001}), so
 * Spring wraps it as any failure to get a connection
 * ({@code CannotGetJdbcConnectionException}); web applications answer 503 with
 * {@code Retry-After: 1} for it, wrapped or not.
 */
public class ConnectionWaitLimitException extends SQLTransientConnectionException implements WaitLimitReached {

	private final String poolName;

	private final int maxWaiting;

	/**
	 * Create a new exception.
	 * @param poolName the pool's name
	 * @param maxWaiting the callers allowed to wait
	 */
	public ConnectionWaitLimitException(String poolName, int maxWaiting) {
		super(WaitLimitReached.message("Pool '" + poolName + "'", maxWaiting), "08001");
		this.poolName = poolName;
		this.maxWaiting = maxWaiting;
	}

	@Override
	public String getPoolName() {
		return this.poolName;
	}

	@Override
	public int getMaxWaiting() {
		return this.maxWaiting;
	}

}
