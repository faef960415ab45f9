package dev.pool.jdbc.autoconfigure.metrics;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.JdbcDataSources;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.JdbcPoolState;
import dev.pool.jdbc.JdbcPoolStats;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.RotatingCredentials;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The starter's {@code pool.jdbc.*} meters, beside HikariCP's {@code hikaricp.*}: only
 * what those lack (reuse, waits of 100 ms or more, exhaustion warnings, utilisation,
 * callers refused by {@code pool.max-waiting}); acquisitions, timeouts and connections
 * opened are HikariCP's ({@code hikaricp.connections.acquire},
 * {@code hikaricp.connections.timeout}, {@code hikaricp.connections.creation}). Tagged
 * with the pool's role ({@code pool}; with several DataSources its bean name, as health
 * names it) and HikariCP's pool name ({@code name}), they are registered once the pool
 * has started and HikariCP has named it, as its {@code hikaricp.*} meters are. Every pool
 * of every DataSource bean is bound, including the HikariCP targets of a routing
 * DataSource; the values come from {@link JdbcPools}.
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
			this.pools.whenStarted(hikari, (poolName) -> bind(registry, pool.name(), hikari, poolName));
		}
	}

	private void bind(MeterRegistry registry, String name, HikariDataSource hikari, String poolName) {
		Tags tags = Tags.of("pool", name, "name", String.valueOf(poolName));
		JdbcPoolDescription description = describe(hikari);
		JdbcPoolStats stats = (description != null) ? description.stats() : null;
		if (stats != null) {
			counter(registry, "pool.jdbc.waits", "Acquisitions that waited 100 ms or more for a connection", tags,
					stats, JdbcPoolStats::waits);
			counter(registry, "pool.jdbc.exhaustion.warnings", "Pool exhaustion warnings logged", tags, stats,
					JdbcPoolStats::exhaustionWarnings);
			Gauge.builder("pool.jdbc.reuse.ratio", stats, JdbcPoolStats::reuseRate)
				.description("Share of acquisitions served by a connection that was already open")
				.tags(tags)
				.register(registry);
		}
		if (hikari instanceof ManagedHikariDataSource managed) {
			FunctionCounter
				.builder("pool.jdbc.refused.waiting", managed, ManagedHikariDataSource::getRefusedWaitingCount)
				.description("Connection requests refused at once because pool.max-waiting callers already waited")
				.tags(tags)
				.register(registry);
		}
		RotatingCredentials credentials = RotatingCredentials.of(hikari);
		if (credentials != null) {
			FunctionCounter.builder("pool.jdbc.auth.failures", credentials, RotatingCredentials::authenticationFailures)
				.description("New connections the database refused for their credentials (rotating credentials)")
				.tags(tags)
				.register(registry);
		}
		Gauge.builder("pool.jdbc.utilisation", hikari, (pool) -> state(pool).utilisation())
			.description("Busy connections divided by the most the pool opens (size + overflow)")
			.tags(tags)
			.register(registry);
	}

	private static void counter(MeterRegistry registry, String name, String description, Tags tags, JdbcPoolStats stats,
			ToDoubleFunction<JdbcPoolStats> count) {
		FunctionCounter.builder(name, stats, count).description(description).tags(tags).register(registry);
	}

	private JdbcPoolDescription describe(HikariDataSource hikari) {
		List<JdbcPoolDescription> descriptions = this.pools.describe(hikari);
		return descriptions.isEmpty() ? null : descriptions.get(0);
	}

	private JdbcPoolState state(HikariDataSource hikari) {
		JdbcPoolDescription description = describe(hikari);
		return (description != null) ? description.state() : JdbcPoolState.of(hikari);
	}

}
