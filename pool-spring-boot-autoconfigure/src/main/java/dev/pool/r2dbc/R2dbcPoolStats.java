package dev.pool.r2dbc;

/**
 * A snapshot of one R2DBC pool's counts, read from r2dbc-pool's own metrics.
 *
 * @param acquired connections handed out to callers now
 * @param allocated connections open now (handed out and idle)
 * @param idle connections open and free
 * @param pending callers waiting for a connection
 * @param maxAllocated the most connections the pool opens
 * @param maxPending the most callers allowed to wait, {@code Integer.MAX_VALUE} when
 * unlimited
 */
public record R2dbcPoolStats(int acquired, int allocated, int idle, int pending, int maxAllocated, int maxPending) {

	/**
	 * Whether every connection the pool may open is handed out: load, not a fault.
	 * @return true when saturated
	 */
	public boolean saturated() {
		return this.acquired >= this.maxAllocated;
	}

}
