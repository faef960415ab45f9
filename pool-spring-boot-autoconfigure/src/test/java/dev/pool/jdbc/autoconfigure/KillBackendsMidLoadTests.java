package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.Load;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every backend of the pool killed in the middle of a load, as a failover, an
 * administrator or an OOM killer would: with pre-ping on, no request that starts after
 * the killed connections are closed on the server's side fails, and no connection leaks.
 * <p>
 * "After" counts from when the server has closed them: {@code pg_terminate_backend(pid)}
 * and MariaDB's {@code KILL CONNECTION} return once the kill is requested, while the
 * process may still be on its way out, and a request that borrows the connection in
 * between uses a connection that is still alive and dies under it (no check, a round trip
 * included, can see a death that has not happened). So the fault returns once the killed
 * processes are gone from {@code pg_stat_activity} or the process list.
 */
class KillBackendsMidLoadTests {

	private static final int SIZE = 4;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				PoolJdbcAutoConfiguration.class))
		.withPropertyValues("pool.size=" + SIZE, "pool.overflow=0", "pool.acquire-timeout=10s");

	@Test
	void postgresBackendsKilledWithPgTerminateBackend() {
		Databases.assumePostgres();
		String applicationName = "pool-kill-" + UUID.randomUUID().toString().substring(0, 8);
		this.runner
			.withPropertyValues(
					"spring.datasource.url=" + Databases.POSTGRES_URL + "?ApplicationName=" + applicationName,
					"spring.datasource.username=" + Databases.POSTGRES_USER)
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				Load.Result result = Load
					.of(8, 150, () -> jdbc.queryForObject("SELECT 1 FROM pg_sleep(0.002)", Integer.class))
					.faultAfterAQuarter(() -> killAll(applicationName))
					.run();
				assertNoFailureAfterTheKillAndNoLeak(result, context.getBean(HikariDataSource.class),
						() -> Databases.postgresBackends(applicationName));
			});
	}

	@Test
	void mariaDbConnectionsKilledWithKill() throws Exception {
		Databases.assumeMariaDb();
		String database = "pool_kill_" + UUID.randomUUID().toString().substring(0, 8);
		Databases.execute(Databases.mariaDb(), "CREATE DATABASE " + database);
		try {
			this.runner
				.withPropertyValues(
						"spring.datasource.url=jdbc:mariadb://127.0.0.1:" + Databases.MARIADB_PORT + "/" + database,
						"spring.datasource.username=" + Databases.MARIADB_USER)
				.run((context) -> {
					JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
					Load.Result result = Load
						.of(8, 150, () -> jdbc.queryForObject("SELECT SLEEP(0.002)", Integer.class))
						.faultAfterAQuarter(() -> killMariaDb(database))
						.run();
					assertNoFailureAfterTheKillAndNoLeak(result, context.getBean(HikariDataSource.class),
							() -> mariaDbConnections(database));
				});
		}
		finally {
			Databases.execute(Databases.mariaDb(), "DROP DATABASE " + database);
		}
	}

	private static void assertNoFailureAfterTheKillAndNoLeak(Load.Result result, HikariDataSource pool,
			java.util.concurrent.Callable<Integer> serverConnections) {
		assertThat(result.afterFault()).as("requests that started after the kill").isNotEmpty();
		assertThat(result.afterFault()).as("failures among requests that started after the kill (%s)", result)
			.allMatch((outcome) -> outcome.failure() == null);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("borrowed connections").isZero();
			assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("pool connections").isEqualTo(SIZE);
			assertThat(serverConnections.call()).as("server-side connections").isEqualTo(SIZE);
		});
	}

	/**
	 * Terminate every backend of the pool, and return once they are gone (the pool's
	 * replacements, which carry the same name, are left alone).
	 */
	private static int killAll(String applicationName) throws Exception {
		List<Integer> pids = new ArrayList<>();
		try (Connection admin = Databases.postgres(); Statement statement = admin.createStatement()) {
			try (ResultSet result = statement
				.executeQuery("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
						+ applicationName + "'")) {
				while (result.next()) {
					pids.add(result.getInt(1));
				}
			}
			assertThat(pids).isNotEmpty();
			awaitZero(statement, "SELECT count(*) FROM pg_stat_activity WHERE pid IN (" + join(pids) + ")");
		}
		return pids.size();
	}

	private static void awaitZero(Statement statement, String count) {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> {
			try (ResultSet result = statement.executeQuery(count)) {
				result.next();
				return result.getInt(1) == 0;
			}
		});
	}

	private static String join(List<? extends Number> ids) {
		return String.join(",", ids.stream().map(String::valueOf).toList());
	}

	private static int killMariaDb(String database) throws Exception {
		List<Long> ids = new ArrayList<>();
		try (Connection admin = Databases.mariaDb(); Statement statement = admin.createStatement()) {
			try (ResultSet result = statement
				.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + database + "'")) {
				while (result.next()) {
					ids.add(result.getLong(1));
				}
			}
			for (long id : ids) {
				try {
					statement.execute("KILL CONNECTION " + id);
				}
				catch (java.sql.SQLException ex) {
					// Gone already: the pool replaced it meanwhile.
				}
			}
			assertThat(ids).isNotEmpty();
			awaitZero(statement, "SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID IN (" + join(ids) + ")");
		}
		return ids.size();
	}

	private static int mariaDbConnections(String database) throws Exception {
		return Integer.parseInt(Databases.query(Databases.mariaDb(),
				"SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = '" + database + "'"));
	}

}
