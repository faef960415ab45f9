package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The exhaustion warning under sustained exhaustion of a real PostgreSQL pool: it names the
 * pool, what happened and what to change, and appears at most once per interval.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExhaustionWarningTests {

	private static final String WARNING = "is exhausted: since the last warning";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL,
				"spring.datasource.username=" + Databases.POSTGRES_USER, "pool.size=1", "pool.overflow=0",
				"pool.acquire-timeout=250ms", "spring.datasource.hikari.pool-name=exhausted");

	@Test
	void sustainedExhaustionWarnsOnceAMinuteWithWhatToChange(CapturedOutput output) {
		Databases.assumePostgres();
		this.runner.run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			try (Connection held = dataSource.getConnection()) {
				for (int i = 0; i < 12; i++) {
					assertThatExceptionOfType(SQLTransientConnectionException.class)
						.isThrownBy(() -> dataSource.getConnection().close());
				}
			}
			assertThat(warnings(output)).as("warnings for 12 timeouts within a minute").isEqualTo(1);
			assertThat(output.getAll()).contains("pool 'exhausted' " + WARNING)
				.contains("gave up after the acquire timeout")
				.contains("with at most 1 connections open (pool.size 1 + pool.overflow 0)")
				.contains("raise pool.overflow")
				.contains("pool.leak-detection-threshold")
				.contains("lower pool.acquire-timeout");
			PoolMetricsTrackerFactory stats = context.getBean(PoolMetricsTrackerFactory.class);
			assertThat(stats.get("exhausted").timeouts()).isEqualTo(12);
			assertThat(stats.get("exhausted").exhaustionWarnings()).isEqualTo(1);
		});
	}

	@Test
	void aWarningIsDueAgainOnceTheIntervalHasPassed(CapturedOutput output) {
		Databases.assumePostgres();
		Duration interval = Duration.ofSeconds(1);
		this.runner.withBean(PoolMetricsTrackerFactory.class, () -> new PoolMetricsTrackerFactory(() -> null, interval))
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				long start = System.nanoTime();
				try (Connection held = dataSource.getConnection()) {
					// Each timeout takes 250ms: about 13 over 3.3 seconds of exhaustion.
					for (int i = 0; i < 13; i++) {
						assertThatExceptionOfType(SQLTransientConnectionException.class)
							.isThrownBy(() -> dataSource.getConnection().close());
					}
				}
				long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
				assertThat(warnings(output)).as("warnings over %s s with one due every second at most", seconds)
					.isBetween(2, (int) seconds + 1);
			});
	}

	private static int warnings(CapturedOutput output) {
		return (int) output.getAll().lines().filter((line) -> line.contains(WARNING)).count();
	}

}
