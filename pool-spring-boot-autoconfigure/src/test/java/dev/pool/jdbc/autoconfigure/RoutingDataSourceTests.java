package dev.pool.jdbc.autoconfigure;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.check.ServerCheck;
import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.endpoint.PoolsEndpoint.PoolsDescriptor;
import dev.pool.endpoint.PoolsEndpoint.SettingDescriptor;
import dev.pool.endpoint.autoconfigure.PoolsEndpointAutoConfiguration;
import dev.pool.health.autoconfigure.PoolHealthContributorAutoConfiguration;
import dev.pool.jdbc.autoconfigure.health.JdbcPoolHealthContributorAutoConfiguration;
import dev.pool.jdbc.autoconfigure.health.PoolDbHealthContributorAutoConfiguration;
import dev.pool.jdbc.autoconfigure.metrics.JdbcPoolMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A multi-tenant routing DataSource with a HikariCP pool per tenant on its own SQLite
 * file and no default target: it starts, each tenant answers, and health, the
 * {@code pools} endpoint, the meters and the server checks show each target by routing
 * key, tunable by {@code pool.datasources.<routing-key>.*}. Nothing asks the routing
 * DataSource for its current target outside a tenant's work.
 */
class RoutingDataSourceTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				ServerCheckAutoConfiguration.class, JdbcPoolHealthContributorAutoConfiguration.class,
				PoolDbHealthContributorAutoConfiguration.class, PoolHealthContributorAutoConfiguration.class,
				PoolsEndpointAutoConfiguration.class, JdbcPoolMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withUserConfiguration(Tenants.class)
		.withPropertyValues("management.endpoints.web.exposure.include=pools");

	@Test
	void startsAndEachTenantAnswersFromItsOwnDatabase() {
		this.runner.withPropertyValues("pool.size=7").run((context) -> {
			assertThat(context).hasNotFailed();
			TenantDataSource tenants = context.getBean(TenantDataSource.class);
			JdbcTemplate jdbc = new JdbcTemplate(tenants);
			for (String tenant : List.of("tenant-a", "tenant-b")) {
				String answer = TenantDataSource.as(tenant, () -> {
					jdbc.execute("CREATE TABLE IF NOT EXISTS owner (name TEXT)");
					jdbc.update("DELETE FROM owner");
					jdbc.update("INSERT INTO owner VALUES (?)", tenant);
					return jdbc.queryForObject("SELECT name FROM owner", String.class);
				});
				assertThat(answer).isEqualTo(tenant);
			}
			assertThat(
					TenantDataSource.as("tenant-a", () -> jdbc.queryForObject("SELECT name FROM owner", String.class)))
				.isEqualTo("tenant-a");
			assertThat(tenants.wrapperCalls).as("the routing DataSource was never asked for its current target")
				.isEmpty();
		});
	}

	@Test
	void poolDatasourcesTunesATargetByItsRoutingKeyAndPoolKeysDoNot() {
		this.runner.withPropertyValues("pool.size=7", "pool.datasources.tenant-b.size=2").run((context) -> {
			assertThat(context).hasNotFailed();
			Map<Object, DataSource> targets = context.getBean(TenantDataSource.class).getResolvedDataSources();
			HikariDataSource a = (HikariDataSource) targets.get("tenant-a");
			HikariDataSource b = (HikariDataSource) targets.get("tenant-b");
			assertThat(a.getMinimumIdle()).isEqualTo(-1);
			assertThat(a.getMaximumPoolSize()).isEqualTo(3);
			assertThat(b.getMinimumIdle()).isEqualTo(2);
			assertThat(b.getMaximumPoolSize()).isEqualTo(3);
			PoolsDescriptor pools = context.getBean(PoolsEndpoint.class).pools();
			assertThat(pools.jdbc()).containsOnlyKeys("tenant-a", "tenant-b");
			assertThat(pools.jdbc().get("tenant-b").dataSource()).isEqualTo("tenant-b");
			assertThat(pools.jdbc().get("tenant-b").settings()).containsEntry("size",
					new SettingDescriptor(2, "property"));
			assertThat(pools.jdbc().get("tenant-a").settings()).containsEntry("size", new SettingDescriptor(3, "bean"));
		});
	}

	@Test
	void healthTheMetersAndTheServerChecksShowEachTarget() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			TenantDataSource tenants = context.getBean(TenantDataSource.class);
			JdbcTemplate template = new JdbcTemplate(tenants);
			for (String tenant : List.of("tenant-a", "tenant-b")) {
				assertThat(TenantDataSource.as(tenant, () -> template.queryForObject("SELECT 1", Integer.class)))
					.isOne();
			}
			CompositeHealthContributor jdbc = (CompositeHealthContributor) context
				.getBean("poolHealthContributor", CompositeHealthContributor.class)
				.getContributor("jdbc");
			assertThat(jdbc.stream().map((entry) -> entry.name())).containsExactlyInAnyOrder("tenant-a", "tenant-b");
			CompositeHealthContributor db = context.getBean("dbHealthContributor", CompositeHealthContributor.class);
			assertThat(db.stream().map((entry) -> entry.name())).containsExactlyInAnyOrder("tenant-a", "tenant-b");
			for (String tenant : List.of("tenant-a", "tenant-b")) {
				assertThat(((HealthIndicator) jdbc.getContributor(tenant)).health(true).getStatus())
					.isEqualTo(Status.UP);
				assertThat(((HealthIndicator) db.getContributor(tenant)).health(true).getStatus()).isEqualTo(Status.UP);
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean("poolJdbcMeterBinder", MeterBinder.class).bindTo(registry);
			HikariDataSource b = (HikariDataSource) tenants.getResolvedDataSources().get("tenant-b");
			assertThat(registry.get("pool.jdbc.utilisation").tag("pool", "tenant-b").gauge().getId().getTag("name"))
				.isEqualTo(b.getPoolName());
			List<ServerCheck> checks = context.getBean(ServerChecks.class).await(Duration.ofSeconds(30));
			assertThat(checks).extracting(ServerCheck::pool).containsExactlyInAnyOrder("tenant-a", "tenant-b");
			assertThat(tenants.wrapperCalls).isEmpty();
		});
	}

	@Test
	void beanTargetsAreSeenUnderTheRoutingKeyAndTunedByTheirBeanName() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
					PoolsEndpointAutoConfiguration.class))
			.withUserConfiguration(TenantBeans.class)
			.withPropertyValues("management.endpoints.web.exposure.include=pools", "pool.datasources.east.size=2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("east", HikariDataSource.class).getMinimumIdle()).isEqualTo(2);
				assertThat(context.getBean("west", HikariDataSource.class).getMinimumIdle()).isEqualTo(-1);
				PoolsDescriptor pools = context.getBean(PoolsEndpoint.class).pools();
				assertThat(pools.jdbc()).containsOnlyKeys("east", "west");
				assertThat(pools.jdbc().get("east").dataSource()).isEqualTo("east");
			});
	}

	static HikariDataSource tenant(String file) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:sqlite:" + directory.resolve(file));
		dataSource.setMaximumPoolSize(3);
		return dataSource;
	}

	@Configuration(proxyBeanMethods = false)
	static class Tenants {

		@Bean
		TenantDataSource tenants() {
			Map<Object, Object> targets = new LinkedHashMap<>();
			targets.put("tenant-a", tenant("tenant-a.db"));
			targets.put("tenant-b", tenant("tenant-b.db"));
			TenantDataSource routing = new TenantDataSource();
			routing.setTargetDataSources(targets);
			return routing;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TenantBeans {

		@Bean
		HikariDataSource east() {
			return tenant("east.db");
		}

		@Bean
		HikariDataSource west() {
			return tenant("west.db");
		}

		@Bean
		TenantDataSource regions(HikariDataSource east, HikariDataSource west) {
			TenantDataSource routing = new TenantDataSource();
			routing.setTargetDataSources(Map.of("east", east, "west", west));
			return routing;
		}

	}

	/**
	 * Routes to the tenant of the current thread, with no default target, and records
	 * every question about what it wraps.
	 */
	static class TenantDataSource extends AbstractRoutingDataSource implements AutoCloseable {

		private static final ThreadLocal<String> tenant = new ThreadLocal<>();

		final List<String> wrapperCalls = new CopyOnWriteArrayList<>();

		static <T> T as(String name, java.util.function.Supplier<T> work) {
			tenant.set(name);
			try {
				return work.get();
			}
			finally {
				tenant.remove();
			}
		}

		@Override
		protected Object determineCurrentLookupKey() {
			return tenant.get();
		}

		@Override
		public boolean isWrapperFor(Class<?> type) throws SQLException {
			this.wrapperCalls.add("isWrapperFor(" + type.getName() + ")");
			return super.isWrapperFor(type);
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			this.wrapperCalls.add("unwrap(" + type.getName() + ")");
			return super.unwrap(type);
		}

		@Override
		public void close() {
			getResolvedDataSources().values().forEach((target) -> ((HikariDataSource) target).close());
		}

	}

}
