package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server idle timeout below {@code recycle} on live pools: a PostgreSQL role whose
 * {@code idle_session_timeout} is 40s, one pool with {@code recycle} 1h and one with the
 * recycle the server check recommends. The server closes the first pool's idle
 * connection; the second pool replaces its connection before the server would. (Takes
 * about 40 seconds: the timeout under test.)
 */
@ExtendWith(OutputCaptureExtension.class)
class IdleTimeoutPostgresTests {

	private final String role = "pool_idle_" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				PoolJdbcAutoConfiguration.class, ServerCheckAutoConfiguration.class))
		.withPropertyValues("spring.datasource.username=" + this.role, "pool.size=1", "pool.overflow=0",
				"spring.datasource.hikari.keepalive-time=0");

	@Test
	void theServerClosesIdleConnectionsOfAPoolRecycledTooLateButNotOfOneRecycledAsRecommended(CapturedOutput output)
			throws Exception {
		Databases.assumePostgres();
		Databases.execute(Databases.postgres(), "CREATE ROLE " + this.role + " LOGIN",
				"ALTER ROLE " + this.role + " SET idle_session_timeout = '40s'");
		String late = "late-" + this.role;
		String recommended = "recommended-" + this.role;
		try {
			this.runner.withPropertyValues(url(late), "spring.datasource.hikari.pool-name=" + late, "pool.recycle=1h")
				.run((lateContext) -> {
					this.runner
						.withPropertyValues(url(recommended), "spring.datasource.hikari.pool-name=" + recommended,
								"pool.recycle=30s")
						.run((recommendedContext) -> {
							JdbcTemplate lateJdbc = lateContext.getBean(JdbcTemplate.class);
							JdbcTemplate recommendedJdbc = recommendedContext.getBean(JdbcTemplate.class);
							lateJdbc.queryForObject("SELECT 1", Integer.class);
							recommendedJdbc.queryForObject("SELECT 1", Integer.class);
							await().atMost(Duration.ofSeconds(20))
								.untilAsserted(
										() -> assertThat(output.getAll()).contains("server check of pool 'primary'")
											.contains("idle_session_timeout = 40s")
											.contains("Set pool.recycle=30s"));
							await().atMost(Duration.ofSeconds(90))
								.pollInterval(Duration.ofSeconds(1))
								.until(() -> Databases.postgresBackends(late) == 0);
							assertThat(Databases.postgresBackends(recommended)).as("the recommended pool's connection")
								.isEqualTo(1);
							for (int i = 0; i < 20; i++) {
								assertThat(lateJdbc.queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
								assertThat(recommendedJdbc.queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
							}
							assertThat(hikariWarnings(output.getAll(), recommended)).as("the recommended pool met none")
								.isZero();
							assertThat(hikariWarnings(output.getAll(), late))
								.as("the late pool met a connection the server had closed (pre-ping replaced it)")
								.isPositive();
						});
				});
		}
		finally {
			Databases.execute(Databases.postgres(),
					"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + this.role + "'",
					"DROP ROLE " + this.role);
		}
	}

	private String url(String applicationName) {
		return "spring.datasource.url=" + Databases.POSTGRES_URL + "?ApplicationName=" + applicationName;
	}

	private static long hikariWarnings(String output, String poolName) {
		return output.lines()
			.filter((line) -> line.contains("Failed to validate connection") && line.contains(poolName))
			.count();
	}

}
