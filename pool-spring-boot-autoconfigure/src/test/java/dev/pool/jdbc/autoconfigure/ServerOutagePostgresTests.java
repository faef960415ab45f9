package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.pool.testsupport.Databases;
import dev.pool.testsupport.MidLoad;
import dev.pool.testsupport.ThrowawayPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Outages of a whole server, on a throw-away PostgreSQL of the test's own (the machine's
 * shared server is never stopped or exhausted).
 */
class ServerOutagePostgresTests {

	private static final long ACQUIRE_TIMEOUT_MS = 3000;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.username=postgres", "pool.size=2", "pool.overflow=2",
				"pool.acquire-timeout=" + ACQUIRE_TIMEOUT_MS + "ms");

	@Test
	void restartMidLoadFailsFastOrWaitsWithinAcquireTimeoutAndRecoversWithoutARestart() throws Exception {
		assumeThrowawayServers();
		try (ThrowawayPostgres server = ThrowawayPostgres.start()) {
			this.runner.withPropertyValues("spring.datasource.url=" + server.url()).run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				MidLoad.Result result = MidLoad.run(4, 400,
						() -> jdbc.queryForObject("SELECT 1 FROM pg_sleep(0.005)", Integer.class), () -> {
							server.restartServer();
							return null;
						});
				assertThat(result.failures()).as("every failure during the outage came back within acquire-timeout")
					.allMatch((outcome) -> outcome.millis() <= ACQUIRE_TIMEOUT_MS + 2000);
				assertThat(result.afterFault()).as("requests that started after the restart (%s)", result)
					.allMatch((outcome) -> outcome.failure() == null);
				for (int i = 0; i < 200; i++) {
					assertThat(jdbc.queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
				}
			});
		}
	}

	@Test
	void maxConnectionsTakenByAnotherClientBeforeStartIsAClearErrorAtOnce() throws Exception {
		assumeThrowawayServers();
		try (ThrowawayPostgres server = ThrowawayPostgres.start("max_connections = 6",
				"superuser_reserved_connections = 0");
				Hog hog = Hog.exhaust(server.url())) {
			assertThat(hog.connections).hasSize(6);
			this.runner.withPropertyValues("spring.datasource.url=" + server.url()).run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				long start = System.nanoTime();
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> dataSource.getConnection().close())
					.satisfies((ex) -> assertThat(messages(ex)).contains("too many clients"));
				assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the error")
					.isLessThan(ACQUIRE_TIMEOUT_MS + 2000);
			});
		}
	}

	@Test
	void maxConnectionsTakenByAnotherClientWhileRunningIsAClearErrorWithinAcquireTimeout() throws Exception {
		assumeThrowawayServers();
		try (ThrowawayPostgres server = ThrowawayPostgres.start("max_connections = 6",
				"superuser_reserved_connections = 0")) {
			this.runner.withPropertyValues("spring.datasource.url=" + server.url(), "pool.size=1").run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				try (Connection held = dataSource.getConnection(); Hog hog = Hog.exhaust(server.url())) {
					assertThat(hog.connections).as("the other client took the rest").hasSize(5);
					long start = System.nanoTime();
					assertThatExceptionOfType(SQLTransientConnectionException.class)
						.isThrownBy(() -> dataSource.getConnection().close())
						.withMessageContaining("request timed out after")
						.satisfies((ex) -> assertThat(messages(ex)).contains("too many clients"));
					assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the error")
						.isLessThan(ACQUIRE_TIMEOUT_MS + 2000);
				}
			});
		}
	}

	private static String messages(Throwable ex) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append(" / ");
		}
		return messages.toString();
	}

	private static void assumeThrowawayServers() {
		Databases.assumeAvailable(ThrowawayPostgres.available(),
				"initdb/pg_ctl and a postgres user (they come with PostgreSQL's Debian packages)");
	}

	/**
	 * Another client that takes every connection the server allows.
	 */
	private static final class Hog implements AutoCloseable {

		private final List<Connection> connections = new ArrayList<>();

		static Hog exhaust(String url) throws SQLException {
			Hog hog = new Hog();
			try {
				while (hog.connections.size() < 100) {
					hog.connections.add(DriverManager.getConnection(url, "postgres", ""));
				}
			}
			catch (SQLException ex) {
				assertThat(ex.getMessage()).contains("too many clients");
			}
			return hog;
		}

		@Override
		public void close() throws SQLException {
			for (Connection connection : this.connections) {
				connection.close();
			}
		}

	}

}
