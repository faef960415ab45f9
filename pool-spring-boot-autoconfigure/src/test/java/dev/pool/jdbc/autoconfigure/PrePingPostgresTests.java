package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pool.pre-ping} against the real PostgreSQL on 127.0.0.1: every backend of the pool
 * is killed with {@code pg_terminate_backend} right after use, as a server restart or an
 * administrator would, and the next queries go through the DataSource.
 */
class PrePingPostgresTests {

	private static final int SIZE = 4;

	private static final int QUERIES = 200;

	private final String applicationName = "pool-preping-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL + "?ApplicationName=" + this.applicationName,
				"spring.datasource.username=" + Databases.POSTGRES_USER, "pool.size=" + SIZE, "pool.overflow=0",
				"pool.acquire-timeout=5s");

	@BeforeEach
	@AfterEach
	void noBypassWindowLeftByAnotherTest() {
		HikariPrePing.apply(false);
	}

	@Test
	void withPrePingNoQueryFailsAfterEveryBackendIsKilled() {
		Databases.assumePostgres();
		this.runner.run((context) -> {
			KillResult result = useAllThenKillAllThenQuery(context);
			assertThat(result.failures()).as("queries that failed after the kill").isEmpty();
			assertThat(result.killed()).isEqualTo(SIZE);
			assertThat(Databases.postgresBackends(this.applicationName)).isBetween(1, SIZE);
		});
	}

	/**
	 * HikariCP skips its alive check for a connection used within
	 * {@code com.zaxxer.hikari.aliveBypassWindowMs} (500 ms by default). The test widens the
	 * window to an hour for its pool, so that how long the machine takes between the use,
	 * the kill and the next query cannot decide whether HikariCP checks.
	 */
	@Test
	void withoutPrePingAConnectionKilledRightAfterUseReachesTheCaller() {
		Databases.assumePostgres();
		System.setProperty(HikariPrePing.PROPERTY, String.valueOf(Duration.ofHours(1).toMillis()));
		try {
			this.runner.withPropertyValues("pool.pre-ping=false").run((context) -> {
				KillResult result = useAllThenKillAllThenQuery(context);
				assertThat(result.killed()).isEqualTo(SIZE);
				assertThat(result.failures())
					.as("HikariCP skips the alive check for recently used connections, so dead ones are handed out")
					.isNotEmpty()
					.allMatch((message) -> message.contains("terminat") || message.contains("closed")
							|| message.contains("I/O"));
			});
		}
		finally {
			System.clearProperty(HikariPrePing.PROPERTY);
		}
	}

	private KillResult useAllThenKillAllThenQuery(AssertableApplicationContext context) throws Exception {
		assertThat(context).hasNotFailed();
		HikariDataSource dataSource = context.getBean(HikariDataSource.class);
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		List<Connection> held = new ArrayList<>();
		for (int i = 0; i < SIZE; i++) {
			held.add(dataSource.getConnection());
		}
		for (Connection connection : held) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("SELECT 1");
			}
			connection.close();
		}
		int killed = Databases.terminatePostgresBackends(this.applicationName);
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> Databases.postgresBackends(this.applicationName) == 0);
		List<String> failures = new ArrayList<>();
		for (int i = 0; i < QUERIES; i++) {
			try {
				assertThat(jdbc.queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
			}
			catch (Exception ex) {
				failures.add(String.valueOf(ex.getMessage()));
			}
		}
		return new KillResult(killed, failures);
	}

	private record KillResult(int killed, List<String> failures) {

	}

}
