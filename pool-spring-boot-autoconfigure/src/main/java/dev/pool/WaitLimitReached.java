package dev.pool;

import java.time.Duration;

/**
 * A pool refused a caller at once, instead of queueing it for
 * {@code pool.acquire-timeout}, because {@code pool.max-waiting} callers already wait and
 * nothing is idle: what the JDBC and R2DBC pools' exceptions share. Web applications
 * answer 503 with {@code Retry-After: 1} for it.
 */
public interface WaitLimitReached extends Unavailable {

	/**
	 * Return the pool's name.
	 * @return the name
	 */
	String getPoolName();

	/**
	 * Return the callers allowed to wait.
	 * @return {@code pool.max-waiting}
	 */
	int getMaxWaiting();

	@Override
	default String getReason() {
		return "database-busy";
	}

	@Override
	default String getClientMessage() {
		return "Too many requests wait for the database";
	}

	/**
	 * A waiting room that is full empties as fast as connections are returned: try again
	 * in a second.
	 */
	@Override
	default Duration getRetryAfter() {
		return Duration.ofSeconds(1);
	}

	/**
	 * The message of the refusal, for the application's log.
	 * @param pool the pool as the message names it ({@code Pool 'name'})
	 * @param maxWaiting the callers allowed to wait
	 * @return the message
	 */
	static String message(String pool, int maxWaiting) {
		return pool + " refused a connection request at once: "
				+ ((maxWaiting > 0)
						? maxWaiting + " caller(s) already wait for a connection and none is idle (pool.max-waiting="
								+ maxWaiting + ")"
						: "every connection is in use and pool.max-waiting=0 lets nobody wait")
				+ ". Try again shortly; raise pool.max-waiting to let more callers queue, or pool.overflow if the "
				+ "database has room.";
	}

}
