package dev.pool.r2dbc;

import java.util.List;

import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.endpoint.PoolsEndpoint.PoolsDescriptor;
import dev.pool.endpoint.autoconfigure.PoolsEndpointAutoConfiguration;
import dev.pool.health.autoconfigure.PoolHealthContributorAutoConfiguration;
import dev.pool.r2dbc.autoconfigure.PoolR2dbcAutoConfiguration;
import dev.pool.r2dbc.autoconfigure.health.R2dbcPoolHealthContributorAutoConfiguration;
import dev.pool.r2dbc.autoconfigure.metrics.R2dbcPoolMetricsAutoConfiguration;
import dev.pool.testsupport.Databases;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The R2DBC pool in health, the {@code pools} endpoint and meters, on the local
 * PostgreSQL: one read model feeds the three.
 */
class R2dbcPoolObservabilityPostgresTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class, PoolR2dbcAutoConfiguration.class,
				R2dbcPoolHealthContributorAutoConfiguration.class, PoolHealthContributorAutoConfiguration.class,
				PoolsEndpointAutoConfiguration.class, R2dbcPoolMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues(
				"management.endpoints.web.exposure.include=pools", "spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:"
						+ Databases.POSTGRES_PORT + "/test?applicationName=r2dbc-observed",
				"spring.r2dbc.username=postgres");

	@BeforeAll
	static void postgres() {
		Databases.assumePostgres();
	}

	@Test
	void healthEndpointAndMetersShowThePool() {
		this.runner.withPropertyValues("pool.size=1", "pool.overflow=1", "pool.max-waiting=0").run((context) -> {
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);
			PoolsDescriptor pools = context.getBean(PoolsEndpoint.class).pools();
			assertThat(pools.r2dbc()).containsOnlyKeys("connectionFactory");
			assertThat(pools.r2dbc().get("connectionFactory").settings().get("size").value()).isEqualTo(1);
			assertThat(pools.r2dbc().get("connectionFactory").settings().get("recycle").source())
				.isEqualTo("profile:balanced");
			assertThat(pools.r2dbc().get("connectionFactory").stats().maxAllocated()).isEqualTo(2);
			// Saturation is load, not a fault: UP, with the counts.
			ConnectionPool pool = context.getBean(ConnectionPool.class);
			List<Connection> held = Flux.range(0, 2).flatMap((i) -> pool.create()).collectList().block();
			Mono.from(pool.create()).onErrorResume(R2dbcWaitLimitException.class, (ex) -> Mono.empty()).block();
			Health saturated = health(context);
			assertThat(saturated.getStatus()).isEqualTo(Status.UP);
			assertThat(saturated.getDetails()).containsEntry("saturated", true).containsEntry("acquired", 2);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("pool.r2dbc.refused").tag("pool", "connectionFactory").functionCounter().count())
				.isEqualTo(1);
			Flux.fromIterable(held).flatMap(Connection::close).blockLast();
		});
	}

	@Test
	void aDatabaseThatCannotBeReachedIsDown() {
		this.runner
			.withPropertyValues("spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:1/test", "pool.size=1",
					"pool.acquire-timeout=2s")
			.run((context) -> assertThat(health(context).getStatus()).isEqualTo(Status.DOWN));
	}

	private static Health health(AssertableApplicationContext context) {
		CompositeHealthContributor r2dbc = (CompositeHealthContributor) context
			.getBean("poolHealthContributor", CompositeHealthContributor.class)
			.getContributor("r2dbc");
		return ((HealthIndicator) r2dbc.getContributor("connectionFactory")).health(true);
	}

}
