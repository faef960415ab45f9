package dev.pool.jdbc.autoconfigure.metrics;

import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pool.jdbc.JdbcDataSources;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolStats;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.ManagedHikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The starter's {@code pool.jdbc.*} meters, beside HikariCP's {@code hikaricp.*}: what
 * those lack (reuse, waits, exhaustion warnings, utilisation), tagged with the pool's
 * role ({@code pool}; with several DataSources its bean name, as health names it) and
 * HikariCP's pool name ({@code name}). Every pool of every DataSource bean is bound,
 * including the HikariCP targets of a routing DataSource.
 */
class JdbcPoolMeterBinder implements MeterBinder {

	private final Supplier<Map<String, DataSource>> dataSources;

	private final JdbcPools pools;

	JdbcPoolMeterBinder(Supplier<Map<String, DataSource>> dataSources, JdbcPools pools) {
		this.dataSources = dataSources;
		this.pools = pools;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (JdbcPool pool : JdbcDataSources.pools(JdbcDataSources.of(this.dataSources.get()))) {
			HikariDataSource hikari = pool.dataSource();
			Tags tags = Tags.of("pool", pool.name(), "name", String.valueOf(hikari.getPoolName()));
			counter(registry, "pool.jdbc.acquisitions", "Connections handed to callers", tags, hikari,
					JdbcPoolStats::acquisitions);
			counter(registry, "pool.jdbc.connections.opened", "Connections the pool opened", tags, hikari,
					JdbcPoolStats::connectionsCreated);
			counter(registry, "pool.jdbc.waits", "Acquisitions that waited 100 ms or more for a connection", tags,
					hikari, JdbcPoolStats::waits);
			counter(registry, "pool.jdbc.timeouts", "Callers that gave up after the acquire timeout", tags, hikari,
					JdbcPoolStats::timeouts);
			counter(registry, "pool.jdbc.exhaustion.warnings", "Pool exhaustion warnings logged", tags, hikari,
					JdbcPoolStats::exhaustionWarnings);
			if (hikari instanceof ManagedHikariDataSource managed) {
				FunctionCounter
					.builder("pool.jdbc.refused.waiting", managed, ManagedHikariDataSource::getRefusedWaitingCount)
					.description("Connection requests refused at once because pool.max-waiting callers already waited")
					.tags(tags)
					.register(registry);
			}
			Gauge.builder("pool.jdbc.reuse.ratio", hikari, (source) -> value(source, JdbcPoolStats::reuseRate))
				.description("Share of acquisitions served by a connection that was already open")
				.tags(tags)
				.register(registry);
			Gauge.builder("pool.jdbc.utilisation", hikari, JdbcPoolMeterBinder::utilisation)
				.description("Busy connections divided by the most the pool opens (size + overflow)")
				.tags(tags)
				.register(registry);
		}
	}

	private void counter(MeterRegistry registry, String name, String description, Tags tags, HikariDataSource hikari,
			ToDoubleFunction<JdbcPoolStats> count) {
		FunctionCounter.builder(name, hikari, (source) -> value(source, count))
			.description(description)
			.tags(tags)
			.register(registry);
	}

	private double value(HikariDataSource hikari, ToDoubleFunction<JdbcPoolStats> value) {
		JdbcPoolStats stats = this.pools.stats(hikari.getPoolName());
		return (stats != null) ? value.applyAsDouble(stats) : 0.0;
	}

	private static double utilisation(HikariDataSource hikari) {
		HikariPoolMXBean live = hikari.getHikariPoolMXBean();
		return (live != null) ? (double) live.getActiveConnections() / hikari.getMaximumPoolSize() : 0.0;
	}

}
