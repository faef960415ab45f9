package dev.pool.r2dbc;

import java.time.Duration;

import dev.pool.Unavailable;
import io.r2dbc.spi.R2dbcTransientResourceException;

/**
 * Signalled at once, instead of queueing for {@code pool.acquire-timeout}, when a
 * connection is asked for while {@code pool.max-waiting} callers already wait for one and
 * none is idle. It is an {@link R2dbcTransientResourceException}, so Spring translates it
 * as any transient failure to get a connection; web applications answer 503 with
 * {@code Retry-After: 1} for it, wrapped or not.
 */
public class R2dbcWaitLimitException extends R2dbcTransientResourceException implements Unavailable {

	private final String poolName;

	private final int maxWaiting;

	/**
	 * Create a new exception.
	 * @param poolName the pool's name
	 * @param maxWaiting the callers allowed to wait
	 * @param cause r2dbc-pool's refusal
	 */
	public R2dbcWaitLimitException(String poolName, int maxWaiting, Throwable cause) {
		super("R2DBC pool '" + poolName + "' refused a connection request at once: "
				+ ((maxWaiting > 0)
						? maxWaiting + " caller(s) already wait for a connection and none is idle (pool.max-waiting="
								+ maxWaiting + ")"
						: "every connection is in use and pool.max-waiting=0 lets nobody wait")
				+ ". Try again shortly; raise pool.max-waiting to let more callers queue, or pool.overflow if the "
				+ "database has room.", cause);
		this.poolName = poolName;
		this.maxWaiting = maxWaiting;
	}

	public String getPoolName() {
		return this.poolName;
	}

	public int getMaxWaiting() {
		return this.maxWaiting;
	}

	@Override
	public String getReason() {
		return "database-busy";
	}

	@Override
	public String getClientMessage() {
		return "Too many requests wait for the database";
	}

	/**
	 * A waiting room that is full empties as fast as connections are returned: try again
	 * in a second.
	 */
	@Override
	public Duration getRetryAfter() {
		return Duration.ofSeconds(1);
	}

}
