package dev.pool.jdbc.autoconfigure;

import java.nio.file.Path;
import java.sql.Connection;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.endpoint.PoolsEndpoint.JdbcPoolDescriptor;
import dev.pool.endpoint.autoconfigure.PoolsEndpointAutoConfiguration;
import dev.pool.health.PoolHealthChild;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.JdbcPoolState;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.autoconfigure.health.JdbcPoolHealthContributorAutoConfiguration;
import dev.pool.jdbc.autoconfigure.metrics.JdbcPoolMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One read model of a JDBC pool: health, the {@code pool.jdbc.*} meters and the
 * {@code pools} endpoint show the same state, read by {@link JdbcPools}, for a pool of
 * the application's own before and after it starts, and for one the starter only
 * observes. The statistics belong to the pool instance.
 */
class JdbcReadModelTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				JdbcPoolMetricsAutoConfiguration.class, JdbcPoolHealthContributorAutoConfiguration.class,
				PoolsEndpointAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("management.endpoints.web.exposure.include=pools");

	@Test
	void aPoolNotStartedYetShowsTheSameStateEverywhereAndItsMetersComeWhenItStarts() {
		this.runner.withUserConfiguration(OwnPoolNotStarted.class).run((context) -> {
			assertThat(context).hasNotFailed();
			ManagedHikariDataSource pool = context.getBean(ManagedHikariDataSource.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean("poolJdbcMeterBinder", MeterBinder.class).bindTo(registry);
			JdbcPoolDescription described = context.getBean(JdbcPools.class).describe(pool).get(0);
			assertThat(described.poolName()).as("HikariCP names a pool as it starts").isNull();
			assertThat(described.state())
				.isEqualTo(new JdbcPoolState(JdbcPoolState.Status.NOT_STARTED, 10, 10, 0, 0, 0));
			assertThat(described.stats()).as("the pool's own statistics").isSameAs(pool.getStats());
			assertThat(described.stats().acquisitions()).isZero();
			JdbcPoolDescriptor endpoint = endpoint(context);
			assertThat(endpoint.live()).isEqualTo(new PoolsEndpoint.Live("NOT_STARTED", 0, 0, 0, 0, 10, 10, 0.0));
			assertThat(registry.find("pool.jdbc.utilisation").gauges()).as("no meter before the pool starts").isEmpty();
			Health health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("state", "started by the health check")
				.containsEntry("size", 10)
				.containsEntry("overflow", 0)
				.containsEntry("max", 10);
			String poolName = pool.getPoolName();
			assertThat(poolName).as("HikariCP's own name").matches("HikariPool-\\d+");
			assertThat(registry.get("pool.jdbc.utilisation").tag("pool", "primary").gauge().getId().getTag("name"))
				.isEqualTo(poolName);
			assertThat(registry.get("pool.jdbc.waits").tag("name", poolName).functionCounter().count()).isZero();
			JdbcPoolDescriptor started = endpoint(context);
			assertThat(started.poolName()).isEqualTo(poolName);
			assertThat(started.live().status()).isEqualTo("RUNNING");
			assertThat(started.live().size()).isEqualTo(10);
			assertThat(started.live().max()).isEqualTo(10);
			assertThat(started.stats().connectionsCreated()).isPositive();
		});
	}

	@Test
	void aPoolThatStartedBeforeTheStarterSawItIsObservedWithHikariCPsCounts() {
		this.runner.withUserConfiguration(OwnPoolStarted.class).run((context) -> {
			assertThat(context).hasNotFailed();
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean("poolJdbcMeterBinder", MeterBinder.class).bindTo(registry);
			JdbcPoolDescription described = context.getBean(JdbcPools.class).describe(pool).get(0);
			assertThat(described.stats()).as("the starter records nothing of a pool it did not configure").isNull();
			assertThat(described.state().status()).isEqualTo(JdbcPoolState.Status.RUNNING);
			assertThat(described.state().max()).isEqualTo(2);
			JdbcPoolDescriptor endpoint = endpoint(context);
			assertThat(endpoint.live().status()).isEqualTo("RUNNING");
			assertThat(endpoint.live().total()).isEqualTo(described.state().total());
			assertThat(endpoint.stats()).isNull();
			assertThat(registry.get("pool.jdbc.utilisation").tag("name", "observed").gauge().value()).isZero();
			assertThat(registry.find("pool.jdbc.waits").meters()).as("no statistics to show").isEmpty();
			Health health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("pool", "observed")
				.containsEntry("max", 2)
				.doesNotContainKey("acquisitions");
		});
	}

	private static JdbcPoolDescriptor endpoint(AssertableApplicationContext context) {
		return context.getBean(PoolsEndpoint.class).pools().jdbc().get("primary");
	}

	private static Health health(AssertableApplicationContext context) {
		PoolHealthChild jdbc = context.getBean("poolJdbcHealth", PoolHealthChild.class);
		CompositeHealthContributor pools = (CompositeHealthContributor) jdbc.contributor().get();
		return ((HealthIndicator) pools.getContributor("primary")).health(true);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPoolNotStarted {

		@Bean
		ManagedHikariDataSource dataSource() {
			ManagedHikariDataSource dataSource = new ManagedHikariDataSource();
			dataSource.setJdbcUrl("jdbc:sqlite:" + directory.resolve("not-started.db"));
			return dataSource;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPoolStarted {

		@Bean
		HikariDataSource dataSource() throws Exception {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:sqlite:" + directory.resolve("started.db"));
			dataSource.setPoolName("observed");
			dataSource.setMaximumPoolSize(2);
			try (Connection connection = dataSource.getConnection()) {
				connection.isValid(1);
			}
			return dataSource;
		}

	}

}
