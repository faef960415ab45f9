package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.JdbcPoolStats;
import dev.pool.jdbc.ManagedHikariDataSource;
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
import static org.awaitility.Awaitility.await;

/**
 * The exhaustion warning under sustained exhaustion of a real PostgreSQL pool: it names
 * the pool, what happened and what to change, appears at most once per interval, and
 * every timeout is told in one warning or another, the last ones at the end of the
 * interval or when the pool closes.
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
	void sustainedExhaustionWarnsOnceAMinuteWithWhatToChangeAndTellsTheRestWhenThePoolCloses(CapturedOutput output) {
		Databases.assumePostgres();
		this.runner.run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			try (Connection held = dataSource.getConnection()) {
				for (int i = 0; i < 12; i++) {
					assertThatExceptionOfType(SQLTransientConnectionException.class)
						.isThrownBy(() -> dataSource.getConnection().close());
				}
			}
			assertThat(warnings(output)).as("warnings for 12 timeouts within a minute").hasSize(1);
			assertThat(output.getAll()).contains("pool 'exhausted' " + WARNING)
				.contains("gave up after the acquire timeout")
				.contains("with at most 1 connections open (pool.size 1 + pool.overflow 0)")
				.contains("raise pool.overflow")
				.contains("pool.leak-detection-threshold")
				.contains("lower pool.acquire-timeout");
			JdbcPoolStats stats = ((ManagedHikariDataSource) dataSource).getStats();
			assertThat(stats.timeouts()).isEqualTo(12);
			assertThat(stats.exhaustionWarnings()).isEqualTo(1);
		});
		assertThat(warnings(output)).as("the timeouts after the first warning, told as the pool closed").hasSize(2);
		assertThat(gaveUp(output)).as("callers that gave up, over all warnings").isEqualTo(12);
	}

	@Test
	void whatHappensAfterAWarningIsToldOnceTheIntervalHasPassedEvenIfNothingElseHappens(CapturedOutput output) {
		Databases.assumePostgres();
		Duration interval = Duration.ofSeconds(1);
		this.runner.withBean(PoolMetricsTrackerFactory.class, () -> new PoolMetricsTrackerFactory(() -> null, interval))
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				try (Connection held = dataSource.getConnection()) {
					for (int i = 0; i < 3; i++) {
						assertThatExceptionOfType(SQLTransientConnectionException.class)
							.isThrownBy(() -> dataSource.getConnection().close());
					}
				}
				// Nothing happens any more; the pool stays open.
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(gaveUp(output)).isEqualTo(3));
				assertThat(warnings(output)).as("a first warning, then the rest after the interval")
					.hasSizeBetween(2, 3);
			});
	}

	private static List<String> warnings(CapturedOutput output) {
		return output.getAll().lines().filter((line) -> line.contains(WARNING)).toList();
	}

	/**
	 * The callers that gave up, added over every warning.
	 */
	private static int gaveUp(CapturedOutput output) {
		Pattern count = Pattern.compile("\\), (\\d+) caller\\(s\\) gave up");
		int total = 0;
		for (String warning : warnings(output)) {
			Matcher matcher = count.matcher(warning);
			assertThat(matcher.find()).as(warning).isTrue();
			total += Integer.parseInt(matcher.group(1));
		}
		return total;
	}

}
