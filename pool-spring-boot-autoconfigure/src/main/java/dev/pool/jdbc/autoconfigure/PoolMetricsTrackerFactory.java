package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Makes the {@link JdbcPoolRecorder} of each pool the starter configures: HikariCP's
 * metrics hook of that pool instance, which keeps its statistics for health, the meters
 * and the {@code pools} endpoint, logs the exhaustion warnings, and passes everything on
 * to Micrometer's tracker when there is a MeterRegistry.
 */
class PoolMetricsTrackerFactory {

	static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

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
	 * The recorder of one pool, which also tells whether callers were waiting when the
	 * pool opened a connection (the connections that were not ready when asked for).
	 * @param pool the pool, not started
	 * @return its recorder, to set as its metrics tracker factory
	 */
	JdbcPoolRecorder forPool(HikariDataSource pool) {
		return new JdbcPoolRecorder(pool::getHikariPoolMXBean, this.delegate, this.warningInterval);
	}

}
