package dev.pool.r2dbc;

import dev.pool.WaitLimitReached;
import io.r2dbc.spi.R2dbcTransientResourceException;

/**
 * Signalled at once, instead of queueing for {@code pool.acquire-timeout}, when a
 * connection is asked for while {@code pool.max-waiting} callers already wait for one and
 * none is idle. It is an {@link R2dbcTransientResourceException}, so Spring translates it
 * as any transient failure to get a connection; web applications answer 503 with
 * {@code Retry-After: 1} for it, wrapped or not.
 */
public class R2dbcWaitLimitException extends R2dbcTransientResourceException implements WaitLimitReached {

	private final String poolName;

	private final int maxWaiting;

	/**
	 * Create a new exception.
	 * @param poolName the pool's name
	 * @param maxWaiting the callers allowed to wait
	 * @param cause r2dbc-pool's refusal
	 */
	public R2dbcWaitLimitException(String poolName, int maxWaiting, Throwable cause) {
		super(WaitLimitReached.message("R2DBC pool '" + poolName + "'", maxWaiting), cause);
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
