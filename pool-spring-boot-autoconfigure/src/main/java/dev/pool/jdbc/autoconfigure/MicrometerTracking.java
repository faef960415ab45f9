package dev.pool.jdbc.autoconfigure;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusTimer;

import org.springframework.util.ClassUtils;

/**
 * HikariCP's Micrometer tracker (the {@code hikaricp.*} meters, as Spring Boot makes
 * them), which also tells the starter where the acquisitions are already counted:
 * HikariCP's {@code hikaricp.connections.acquire} timer, when the registry keeps its
 * count from the start (Micrometer's cumulative timers, as in Spring Boot's default
 * simple registry, and Prometheus's), and reads the acquire times (mean, max, and the
 * percentiles published with
 * {@code management.metrics.distribution.percentiles.hikaricp.connections.acquire}) from
 * it. A registry that counts per step (most push registries) or a filter that denies the
 * timer leaves the counting to the starter.
 */
final class MicrometerTracking extends MicrometerMetricsTrackerFactory implements JdbcPoolRecorder.AcquireMeters {

	static final String ACQUIRE_TIMER = "hikaricp.connections.acquire";

	private static final boolean PROMETHEUS = ClassUtils.isPresent(
			"io.micrometer.prometheusmetrics.PrometheusMeterRegistry", MicrometerTracking.class.getClassLoader());

	private final MeterRegistry registry;

	MicrometerTracking(MeterRegistry registry) {
		super(registry);
		this.registry = registry;
	}

	@Override
	public LongSupplier acquisitions(String poolName) {
		return cumulativeCount(this.registry, poolName);
	}

	@Override
	public Supplier<Map<String, Double>> acquireMillis(String poolName) {
		Timer timer = this.registry.find(ACQUIRE_TIMER).tag("pool", poolName).timer();
		if (timer == null) {
			return null;
		}
		return () -> {
			HistogramSnapshot snapshot = timer.takeSnapshot();
			Map<String, Double> millis = new LinkedHashMap<>();
			millis.put("mean", snapshot.mean(TimeUnit.MILLISECONDS));
			millis.put("max", snapshot.max(TimeUnit.MILLISECONDS));
			for (ValueAtPercentile percentile : snapshot.percentileValues()) {
				millis.put("p" + BigDecimal.valueOf(percentile.percentile() * 100).stripTrailingZeros().toPlainString(),
						percentile.value(TimeUnit.MILLISECONDS));
			}
			return millis;
		};
	}

	private static LongSupplier cumulativeCount(MeterRegistry registry, String poolName) {
		if (registry instanceof CompositeMeterRegistry composite) {
			for (MeterRegistry child : composite.getRegistries()) {
				LongSupplier count = cumulativeCount(child, poolName);
				if (count != null) {
					return count;
				}
			}
			return null;
		}
		Timer timer = registry.find(ACQUIRE_TIMER).tag("pool", poolName).timer();
		return (timer != null && countsFromTheStart(timer)) ? timer::count : null;
	}

	private static boolean countsFromTheStart(Timer timer) {
		return timer instanceof CumulativeTimer || (PROMETHEUS && PrometheusTimers.isPrometheus(timer));
	}

	/**
	 * Prometheus's timers count from the start; the class is only loaded when
	 * Micrometer's Prometheus registry is there.
	 */
	private static final class PrometheusTimers {

		static boolean isPrometheus(Timer timer) {
			return timer instanceof PrometheusTimer;
		}

	}

}
