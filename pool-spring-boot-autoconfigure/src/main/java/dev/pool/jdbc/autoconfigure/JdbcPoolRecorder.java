package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import dev.pool.Durations;
import dev.pool.jdbc.JdbcPoolProbe;
import dev.pool.jdbc.JdbcPoolStats;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Records what one pool does: the metrics tracker factory of that pool instance (HikariCP
 * asks it for a tracker as the pool starts, with the name it gave the pool), and the
 * {@link JdbcPoolStats} it keeps. It logs the exhaustion warnings, and passes every event
 * on to Micrometer's tracker when there is a MeterRegistry (so the {@code hikaricp.*}
 * meters stay as Spring Boot makes them). The statistics live as long as the pool: no map
 * by name holds them.
 */
final class JdbcPoolRecorder implements JdbcPoolStats, MetricsTrackerFactory {

	/** An acquisition this slow waited for another caller to return a connection. */
	static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final Log logger = LogFactory.getLog(JdbcPoolRecorder.class);

	private final LongAdder created = new LongAdder();

	private final LongAdder createdWhileWaiting = new LongAdder();

	private final LongAdder acquired = new LongAdder();

	private final LongAdder waited = new LongAdder();

	private final LongAdder timeouts = new LongAdder();

	private final LongAdder exhaustionWarnings = new LongAdder();

	private final Supplier<HikariPoolMXBean> live;

	private final Supplier<MetricsTrackerFactory> delegate;

	private final Duration warningInterval;

	/**
	 * The count of acquisitions, when a meter keeps it; null when {@link #acquired} does.
	 */
	private volatile LongSupplier acquisitionCount;

	private volatile Supplier<Map<String, Double>> acquireMillis = Map::of;

	/** HikariCP's name of the pool, once it started. */
	private String poolName;

	/** What to run as the pool starts; null once it started. */
	private List<Consumer<String>> whenStarted = new ArrayList<>();

	/**
	 * Create a recorder for one pool.
	 * @param live the pool's counts, once it started
	 * @param delegate the factory to pass events on to (Micrometer's), asked when the
	 * pool starts; it may supply null
	 * @param warningInterval the least time between two exhaustion warnings
	 */
	JdbcPoolRecorder(Supplier<HikariPoolMXBean> live, Supplier<MetricsTrackerFactory> delegate,
			Duration warningInterval) {
		this.live = live;
		this.delegate = delegate;
		this.warningInterval = warningInterval;
	}

	@Override
	public IMetricsTracker create(String poolName, PoolStats poolStats) {
		// HikariCP opens its first connection (the fail-fast check) before it asks for a
		// tracker.
		for (int i = poolStats.getTotalConnections(); i > 0; i--) {
			connectionCreated(false);
		}
		MetricsTrackerFactory next = this.delegate.get();
		IMetricsTracker delegate = (next != null) ? next.create(poolName, poolStats) : new IMetricsTracker() {
		};
		AcquireMeters meters = (next instanceof AcquireMeters found) ? found : null;
		this.acquisitionCount = (meters != null) ? meters.acquisitions(poolName) : null;
		Supplier<Map<String, Double>> millis = (meters != null) ? meters.acquireMillis(poolName) : null;
		this.acquireMillis = (millis != null) ? millis : Map::of;
		Tracker tracker = new Tracker(poolName, this, poolStats, this.live, delegate, this.warningInterval);
		started(poolName);
		return tracker;
	}

	private void started(String poolName) {
		List<Consumer<String>> actions;
		synchronized (this) {
			this.poolName = poolName;
			actions = this.whenStarted;
			this.whenStarted = null;
		}
		if (actions != null) {
			actions.forEach((action) -> action.accept(poolName));
		}
	}

	/**
	 * Run an action once the pool has started: now if it has, else as it starts.
	 * @param action what to run, given HikariCP's name of the pool
	 */
	void whenStarted(Consumer<String> action) {
		String name;
		synchronized (this) {
			if (this.whenStarted != null) {
				this.whenStarted.add(action);
				return;
			}
			name = this.poolName;
		}
		action.accept(name);
	}

	/**
	 * Whether the acquisitions are read from a count kept elsewhere (HikariCP's acquire
	 * timer), so that a borrow costs the starter nothing.
	 * @return true when the pool's tracker need not count them
	 */
	boolean isAcquisitionCountedElsewhere() {
		return this.acquisitionCount != null;
	}

	void connectionCreated(boolean whileCallersWaited) {
		this.created.increment();
		if (whileCallersWaited) {
			this.createdWhileWaiting.increment();
		}
	}

	@Override
	public long connectionsCreated() {
		return this.created.sum();
	}

	@Override
	public long acquisitions() {
		LongSupplier count = this.acquisitionCount;
		return (count != null) ? count.getAsLong() : this.acquired.sum();
	}

	@Override
	public long waits() {
		return this.waited.sum();
	}

	@Override
	public long timeouts() {
		return this.timeouts.sum();
	}

	@Override
	public long exhaustionWarnings() {
		return this.exhaustionWarnings.sum();
	}

	@Override
	public long connectionsOpenedOnDemand() {
		return this.createdWhileWaiting.sum();
	}

	@Override
	public Map<String, Double> acquireMillis() {
		return this.acquireMillis.get();
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
		LongSupplier acquisitions(String poolName);

		/**
		 * The acquire times of a pool, once its tracker was made.
		 * @param poolName the pool's name in HikariCP
		 * @return milliseconds by statistic, or null without a timer
		 */
		Supplier<Map<String, Double>> acquireMillis(String poolName);

	}

	/**
	 * Records one pool's events. The hot path (an acquisition that did not wait) is the
	 * delegate's call and a field read; one LongAdder increment more when no meter counts
	 * the acquisitions.
	 */
	private static final class Tracker implements IMetricsTracker {

		private final String poolName;

		private final JdbcPoolRecorder stats;

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

		Tracker(String poolName, JdbcPoolRecorder stats, PoolStats poolStats, Supplier<HikariPoolMXBean> live,
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
				this.stats.acquired.increment();
			}
			this.delegate.recordConnectionAcquiredNanos(elapsedAcquiredNanos);
			if (elapsedAcquiredNanos < WAIT_NANOS) {
				return;
			}
			this.stats.waited.increment();
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
			this.stats.timeouts.increment();
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
			this.stats.exhaustionWarnings.increment();
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
