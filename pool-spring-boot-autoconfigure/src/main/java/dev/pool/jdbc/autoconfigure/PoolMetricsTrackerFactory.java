package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import dev.pool.Durations;
import dev.pool.jdbc.JdbcPoolProbe;
import dev.pool.jdbc.JdbcPoolStats;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * HikariCP's metrics hook, installed on every pool the starter configures: it keeps
 * {@link JdbcPoolStats} per pool for health and the {@code pools} endpoint, logs the
 * exhaustion warnings, and passes everything on to Micrometer's tracker when there is a
 * MeterRegistry (so the {@code hikaricp.*} meters stay as Spring Boot makes them).
 */
class PoolMetricsTrackerFactory implements MetricsTrackerFactory {

	/** An acquisition this slow waited for another caller to return a connection. */
	static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

	private static final Log logger = LogFactory.getLog(PoolMetricsTrackerFactory.class);

	private final Map<String, JdbcPoolStats> stats = new ConcurrentHashMap<>();

	private final Supplier<MetricsTrackerFactory> delegate;

	private final Duration warningInterval;

	/**
	 * Create a new instance.
	 * @param delegate the factory to pass events on to (Micrometer's), asked when a pool
	 * starts; it may supply null
	 */
	PoolMetricsTrackerFactory(Supplier<@Nullable MetricsTrackerFactory> delegate) {
		this(delegate, WARNING_INTERVAL);
	}

	PoolMetricsTrackerFactory(Supplier<MetricsTrackerFactory> delegate, Duration warningInterval) {
		this.delegate = delegate;
		this.warningInterval = warningInterval;
	}

	/**
	 * The statistics of a pool.
	 * @param poolName the pool's name in HikariCP
	 * @return its statistics, or null before it started
	 */
	@Nullable JdbcPoolStats get(String poolName) {
		return this.stats.get(poolName);
	}

	/**
	 * The tracker factory of one pool, which also tells whether callers were waiting when
	 * the pool opened a connection (the connections that were not ready when asked for).
	 * @param pool the pool, not started
	 * @return its tracker factory
	 */
	MetricsTrackerFactory forPool(HikariDataSource pool) {
		return (poolName, poolStats) -> create(poolName, poolStats, pool::getHikariPoolMXBean);
	}

	@Override
	public IMetricsTracker create(String poolName, PoolStats poolStats) {
		return create(poolName, poolStats, () -> null);
	}

	private IMetricsTracker create(String poolName, PoolStats poolStats, Supplier<HikariPoolMXBean> live) {
		JdbcPoolStats pool = this.stats.computeIfAbsent(poolName, (name) -> new JdbcPoolStats());
		// HikariCP opens its first connection (the fail-fast check) before it asks for a
		// tracker.
		for (int i = poolStats.getTotalConnections(); i > 0; i--) {
			pool.connectionCreated(false);
		}
		MetricsTrackerFactory next = this.delegate.get();
		IMetricsTracker delegate = (next != null) ? next.create(poolName, poolStats) : new IMetricsTracker() {
		};
		AcquireMeters meters = (next instanceof AcquireMeters found) ? found : null;
		pool.countAcquisitionsWith((meters != null) ? meters.acquisitions(poolName) : null);
		pool.readAcquireTimesFrom((meters != null) ? meters.acquireMillis(poolName) : null);
		return new Tracker(poolName, pool, poolStats, live, delegate, this.warningInterval);
	}

	/**
	 * A tracker factory whose meters already time a pool's acquisitions, so that the
	 * starter need not record them again on every borrow.
	 */
	interface AcquireMeters {

		/**
		 * The count of a pool's acquisitions, once its tracker was made.
		 * @param poolName the pool's name in HikariCP
		 * @return the count, or null when no meter keeps one from the start
		 */
		@Nullable LongSupplier acquisitions(String poolName);

		/**
		 * The acquire times of a pool, once its tracker was made.
		 * @param poolName the pool's name in HikariCP
		 * @return milliseconds by statistic, or null without a timer
		 */
		@Nullable Supplier<Map<String, Double>> acquireMillis(String poolName);

	}

	/**
	 * Records one pool's events. The hot path (an acquisition that did not wait) is the
	 * delegate's call and a field read; one LongAdder increment more when no meter counts
	 * the acquisitions.
	 */
	private static final class Tracker implements IMetricsTracker {

		private final String poolName;

		private final JdbcPoolStats stats;

		private final PoolStats poolStats;

		private final Supplier<HikariPoolMXBean> live;

		private final IMetricsTracker delegate;

		/** Whether no meter counts the acquisitions, so this tracker does. */
		private final boolean counting;

		private final long interval;

		private final AtomicLong lastWarning;

		private final AtomicLong waitsSinceWarning = new AtomicLong();

		private final AtomicLong timeoutsSinceWarning = new AtomicLong();

		/** Whether a sign of exhaustion came since the last warning. */
		private final AtomicBoolean exhausted = new AtomicBoolean();

		/** The warning scheduled for the end of the current interval, if any. */
		private final AtomicReference<CompletableFuture<Void>> deferred = new AtomicReference<>();

		Tracker(String poolName, JdbcPoolStats stats, PoolStats poolStats, Supplier<HikariPoolMXBean> live,
				IMetricsTracker delegate, Duration interval) {
			this.interval = interval.toNanos();
			this.lastWarning = new AtomicLong(System.nanoTime() - this.interval);
			this.poolName = poolName;
			this.stats = stats;
			this.poolStats = poolStats;
			this.live = live;
			this.delegate = delegate;
			this.counting = !stats.isAcquisitionCountedElsewhere();
		}

		@Override
		public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
			// Not the hot path: a connection opened while callers wait was not ready for
			// them.
			HikariPoolMXBean pool = this.live.get();
			this.stats.connectionCreated(pool != null && pool.getThreadsAwaitingConnection() > 0);
			this.delegate.recordConnectionCreatedMillis(connectionCreatedMillis);
		}

		@Override
		public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
			if (this.counting) {
				this.stats.acquired();
			}
			this.delegate.recordConnectionAcquiredNanos(elapsedAcquiredNanos);
			if (elapsedAcquiredNanos < WAIT_NANOS) {
				return;
			}
			this.stats.waited();
			if (!JdbcPoolProbe.isProbing()) {
				this.waitsSinceWarning.incrementAndGet();
				// A slow acquisition is only a sign of exhaustion when others queue too
				// (opening
				// or checking a connection can be slow as well). HikariCP refreshes these
				// figures at most once a second.
				if (this.poolStats.getPendingThreads() > 0) {
					warnIfDue(false);
				}
			}
		}

		@Override
		public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
			this.delegate.recordConnectionUsageMillis(elapsedBorrowedMillis);
		}

		@Override
		public void recordConnectionTimeout() {
			if (JdbcPoolProbe.isProbing()) {
				return;
			}
			this.stats.timedOut();
			this.delegate.recordConnectionTimeout();
			this.timeoutsSinceWarning.incrementAndGet();
			warnIfDue(true);
		}

		/**
		 * The pool closes: what it had not told yet is told now.
		 */
		@Override
		public void close() {
			synchronized (this.deferred) {
				CompletableFuture<Void> scheduled = this.deferred.getAndSet(null);
				if (scheduled != null) {
					scheduled.cancel(false);
				}
			}
			if (pending()) {
				warn(false);
			}
			this.delegate.close();
		}

		/**
		 * At most one warning a minute per pool, saying what happened since the last one.
		 * What happens between two warnings is told at the end of the interval, even if
		 * nothing happens after it.
		 */
		private void warnIfDue(boolean timedOut) {
			this.exhausted.set(true);
			long now = System.nanoTime();
			long last = this.lastWarning.get();
			if (now - last < this.interval) {
				deferUntil(last + this.interval - now);
				return;
			}
			if (!this.lastWarning.compareAndSet(last, now)) {
				return;
			}
			warn(timedOut);
		}

		private void deferUntil(long nanos) {
			synchronized (this.deferred) {
				if (this.deferred.get() == null) {
					this.deferred.set(CompletableFuture.runAsync(this::flush,
							CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS)));
				}
			}
		}

		private void flush() {
			synchronized (this.deferred) {
				this.deferred.set(null);
			}
			if (pending()) {
				warnIfDue(false);
			}
		}

		private boolean pending() {
			return this.exhausted.get();
		}

		private void warn(boolean timedOut) {
			this.exhausted.set(false);
			long waits = this.waitsSinceWarning.getAndSet(0);
			long timeouts = this.timeoutsSinceWarning.getAndSet(0);
			this.stats.exhaustionWarned();
			int max = this.poolStats.getMaxConnections();
			int min = this.poolStats.getMinConnections();
			logger.warn("pool '" + this.poolName + "' is exhausted: since the last warning (at most one every "
					+ Durations.format(Duration.ofNanos(this.interval)) + "), " + timeouts
					+ " caller(s) gave up after the acquire timeout" + (timedOut ? " (one just now)" : "") + " and "
					+ waits + " waited 100ms or more for a connection, with at most " + max
					+ " connections open (pool.size " + min + " + pool.overflow " + (max - min) + "). If the database "
					+ "has room (see the server check in /actuator/pools), raise pool.overflow; if transactions hold "
					+ "connections too long, find them with pool.leak-detection-threshold; to fail faster instead of "
					+ "queueing, lower pool.acquire-timeout.");
		}

	}

}
