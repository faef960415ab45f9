package dev.pool.jdbc;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * What one HikariCP pool has done since it started: connections opened, acquisitions,
 * waits and timeouts. Recorded through HikariCP's metrics tracker, off the hot path: the
 * acquisitions are read from HikariCP's own Micrometer timer
 * ({@code hikaricp.connections.acquire}) when the application has a registry that counts
 * from the start; only without one does a borrow cost a {@link LongAdder} increment.
 */
public final class JdbcPoolStats {

	private final LongAdder created = new LongAdder();

	private final LongAdder createdWhileWaiting = new LongAdder();

	private final LongAdder acquired = new LongAdder();

	private final LongAdder waited = new LongAdder();

	private final LongAdder timeouts = new LongAdder();

	private final LongAdder exhaustionWarnings = new LongAdder();

	/**
	 * The count of acquisitions, when a meter keeps it; null when {@link #acquired} does.
	 */
	private volatile @Nullable LongSupplier acquisitionCount;

	private volatile Supplier<Map<String, Double>> acquireMillis = Map::of;

	/**
	 * Recorded by the starter's HikariCP metrics tracker.
	 * @param whileCallersWaited whether callers were waiting for a connection as it
	 * opened
	 */
	public void connectionCreated(boolean whileCallersWaited) {
		this.created.increment();
		if (whileCallersWaited) {
			this.createdWhileWaiting.increment();
		}
	}

	/**
	 * Read the acquisitions from a count kept elsewhere (HikariCP's acquire timer), from
	 * the pool's start, instead of counting them with {@link #acquired()}.
	 * @param count the acquisitions since the pool started
	 */
	public void countAcquisitionsWith(LongSupplier count) {
		this.acquisitionCount = count;
	}

	/**
	 * Read the acquire times from a meter (HikariCP's acquire timer).
	 * @param acquireMillis milliseconds by statistic (mean, max, and the percentiles the
	 * meter publishes)
	 */
	public void readAcquireTimesFrom(Supplier<Map<String, Double>> acquireMillis) {
		this.acquireMillis = (acquireMillis != null) ? acquireMillis : Map::of;
	}

	/**
	 * Return how long acquisitions took, as HikariCP's acquire timer tells.
	 * @return milliseconds by statistic ({@code mean}, {@code max}, and {@code p99} and
	 * the like when percentiles are published), empty without a meter registry
	 */
	public Map<String, Double> acquireMillis() {
		return this.acquireMillis.get();
	}

	/**
	 * Whether the acquisitions are read from a count kept elsewhere.
	 * @return true when {@link #acquired()} need not be called
	 */
	public boolean isAcquisitionCountedElsewhere() {
		return this.acquisitionCount != null;
	}

	/** Recorded by the starter's HikariCP metrics tracker, unless counted elsewhere. */
	public void acquired() {
		this.acquired.increment();
	}

	/** Recorded by the starter's HikariCP metrics tracker: an acquisition that waited. */
	public void waited() {
		this.waited.increment();
	}

	/** Recorded by the starter's HikariCP metrics tracker. */
	public void timedOut() {
		this.timeouts.increment();
	}

	/** Recorded by the starter's HikariCP metrics tracker. */
	public void exhaustionWarned() {
		this.exhaustionWarnings.increment();
	}

	/** Connections the pool has opened. */
	public long connectionsCreated() {
		return this.created.sum();
	}

	/** Connections handed to callers. */
	public long acquisitions() {
		LongSupplier count = this.acquisitionCount;
		return (count != null) ? count.getAsLong() : this.acquired.sum();
	}

	/** Acquisitions that waited for a connection to come free (100 ms or more). */
	public long waits() {
		return this.waited.sum();
	}

	/** Callers that gave up after the acquire timeout. */
	public long timeouts() {
		return this.timeouts.sum();
	}

	/** Exhaustion warnings logged. */
	public long exhaustionWarnings() {
		return this.exhaustionWarnings.sum();
	}

	/**
	 * Connections opened while callers were waiting for one: the acquisitions the pool
	 * could not serve from a connection already open. Connections opened ahead of demand
	 * (the {@code pool.size} kept open, replacements of recycled ones) are not among
	 * them.
	 */
	public long connectionsOpenedOnDemand() {
		return this.createdWhileWaiting.sum();
	}

	/**
	 * The share of acquisitions served by a connection that was already open:
	 * {@code 1 - connectionsOpenedOnDemand / acquisitions}.
	 * @return from 0 to 1, or NaN before the first acquisition
	 */
	public double reuseRate() {
		long acquisitions = acquisitions();
		return (acquisitions == 0) ? Double.NaN
				: Math.max(0.0, 1.0 - (double) connectionsOpenedOnDemand() / acquisitions);
	}

}
