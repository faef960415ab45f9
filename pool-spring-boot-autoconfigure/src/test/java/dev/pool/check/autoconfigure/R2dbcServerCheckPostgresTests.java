package dev.pool.check.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.check.ServerCheck;
import dev.pool.check.ServerCheck.Status;
import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.endpoint.autoconfigure.PoolsEndpointAutoConfiguration;
import dev.pool.health.autoconfigure.PoolHealthContributorAutoConfiguration;
import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.r2dbc.autoconfigure.PoolR2dbcAutoConfiguration;
import dev.pool.r2dbc.autoconfigure.health.R2dbcPoolHealthContributorAutoConfiguration;
import dev.pool.testsupport.Databases;
import io.r2dbc.pool.ConnectionPool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server checks of an R2DBC pool on the local PostgreSQL: the {@code max_connections}
 * arithmetic of the JDBC checks, read with a reactive query on one of the pool's
 * connections, in the pool's health, the {@code pools} endpoint and a WARN.
 */
@ExtendWith(OutputCaptureExtension.class)
class R2dbcServerCheckPostgresTests {

	private static int maxConnections;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class, PoolR2dbcAutoConfiguration.class,
				R2dbcServerCheckAutoConfiguration.class, R2dbcPoolHealthContributorAutoConfiguration.class,
				PoolHealthContributorAutoConfiguration.class, PoolsEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=pools",
				"spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:" + Databases.POSTGRES_PORT
						+ "/test?applicationName=r2dbc-server-check",
				"spring.r2dbc.username=postgres", "pool.size=1", "pool.overflow=1");

	@BeforeAll
	static void postgres() throws Exception {
		Databases.assumePostgres();
		try (Connection connection = Databases.postgres();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW max_connections")) {
			result.next();
			maxConnections = Integer.parseInt(result.getString(1));
		}
	}

	@Test
	void moreConnectionsThanTheServerAllowsIsAWarnWithTheArithmetic(CapturedOutput output) {
		int instances = maxConnections;
		int needed = 2 * instances + 10;
		this.runner.withPropertyValues("pool.instances=" + instances).run((context) -> {
			ServerCheck check = awaitCheck(context);
			assertThat(check.status()).isEqualTo(Status.MISCONFIGURED);
			String arithmetic = "(size 1 + overflow 1) x " + instances + " instances + 10 reserved = " + needed;
			assertThat(check.problems()).first()
				.asString()
				.startsWith("pool.size and pool.overflow (pool 'connectionFactory') = " + arithmetic + " connections")
				.contains("max_connections = " + maxConnections);
			assertThat(check.details()).containsEntry("maxConnections", maxConnections)
				.containsEntry("connectionsNeeded", needed);
			Health health = health(context);
			assertThat(health.getDetails()).containsEntry("serverCheck", "MISCONFIGURED")
				.containsEntry("connectionMath", arithmetic + " of max_connections " + maxConnections)
				.containsKey("serverProblems");
			assertThat(context.getBean(PoolsEndpoint.class).pools().r2dbc().get("connectionFactory").serverCheck())
				.isEqualTo(check);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getOut().contains("WARN") && output.getOut().contains(arithmetic));
		});
	}

	@Test
	void aPoolThatFitsIsOk() {
		this.runner.run((context) -> {
			ServerCheck check = awaitCheck(context);
			assertThat(check.status()).as(check.toString()).isEqualTo(Status.OK);
			assertThat(check.database()).startsWith("PostgreSQL");
			assertThat(check.details())
				.containsEntry("connectionMath",
						"(size 1 + overflow 1) x 1 instance + 10 reserved = 12 of max_connections " + maxConnections)
				.containsEntry("recycle", "30m")
				.containsKey("idle_session_timeout");
			assertThat(health(context).getDetails()).containsEntry("serverCheck", "OK");
		});
	}

	@Test
	void failOnMisconfigurationStopsStartUp() {
		this.runner.withPropertyValues("pool.instances=" + maxConnections, "pool.fail-on-misconfiguration=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(PoolConfigurationException.class)
					.hasMessageContaining("(size 1 + overflow 1) x " + maxConnections + " instances");
			});
	}

	private static ServerCheck awaitCheck(AssertableApplicationContext context) {
		ManagedConnectionPool pool = (ManagedConnectionPool) context.getBean(ConnectionPool.class);
		return await().atMost(Duration.ofSeconds(20)).until(pool::getServerCheck, (check) -> check != null);
	}

	private static Health health(AssertableApplicationContext context) {
		CompositeHealthContributor r2dbc = (CompositeHealthContributor) context
			.getBean("poolHealthContributor", CompositeHealthContributor.class)
			.getContributor("r2dbc");
		return ((HealthIndicator) r2dbc.getContributor("connectionFactory")).health(true);
	}

}
