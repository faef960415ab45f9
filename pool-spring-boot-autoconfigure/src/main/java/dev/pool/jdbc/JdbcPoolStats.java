package dev.pool.jdbc;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one HikariCP pool has done since it started: connections opened, acquisitions,
 * waits, timeouts, and a coarse histogram of acquire times. Recorded through HikariCP's
 * metrics tracker at the cost of one {@link LongAdder} increment per borrow.
 */
public final class JdbcPoolStats {

	/** Histogram buckets: [0, 2^k) microseconds, the last one open-ended. */
	private static final int BUCKETS = 32;

	private final LongAdder created = new LongAdder();

	private final LongAdder createdWhileWaiting = new LongAdder();

	private final LongAdder waited = new LongAdder();

	private final LongAdder timeouts = new LongAdder();

	private final LongAdder exhaustionWarnings = new LongAdder();

	private final LongAdder[] acquireMicros = new LongAdder[BUCKETS];

	public JdbcPoolStats() {
		for (int i = 0; i < BUCKETS; i++) {
			this.acquireMicros[i] = new LongAdder();
		}
	}

	/**
	 * Recorded by the starter's HikariCP metrics tracker.
	 * @param whileCallersWaited whether callers were waiting for a connection as it opened
	 */
	public void connectionCreated(boolean whileCallersWaited) {
		this.created.increment();
		if (whileCallersWaited) {
			this.createdWhileWaiting.increment();
		}
	}

	/** Recorded by the starter's HikariCP metrics tracker. */
	public void acquired(long nanos, boolean waitedForOthers) {
		// One increment per borrow: the acquisitions are the histogram's total.
		long micros = nanos / 1000;
		int bucket = Math.min(64 - Long.numberOfLeadingZeros(micros), BUCKETS - 1);
		this.acquireMicros[bucket].increment();
		if (waitedForOthers) {
			this.waited.increment();
		}
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
		long total = 0;
		for (LongAdder bucket : this.acquireMicros) {
			total += bucket.sum();
		}
		return total;
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
	 * Connections opened while callers were waiting for one: the acquisitions the pool could
	 * not serve from a connection already open. Connections opened ahead of demand (the
	 * {@code pool.size} kept open, replacements of recycled ones) are not among them.
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

	/**
	 * An upper bound of the acquire time below which a share of acquisitions fell, from the
	 * power-of-two histogram.
	 * @param percentile from 0 to 1, e.g. 0.99
	 * @return milliseconds, 0 before the first acquisition
	 */
	public double acquireMillis(double percentile) {
		long[] counts = new long[BUCKETS];
		long total = 0;
		for (int i = 0; i < BUCKETS; i++) {
			counts[i] = this.acquireMicros[i].sum();
			total += counts[i];
		}
		if (total == 0) {
			return 0.0;
		}
		long rank = (long) Math.ceil(percentile * total);
		long seen = 0;
		for (int i = 0; i < BUCKETS; i++) {
			seen += counts[i];
			if (seen >= rank) {
				return (1L << i) / 1000.0;
			}
		}
		return (1L << (BUCKETS - 1)) / 1000.0;
	}

}
