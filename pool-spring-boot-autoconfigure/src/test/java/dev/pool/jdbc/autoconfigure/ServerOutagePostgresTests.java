package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.Load;
import dev.pool.testsupport.ThrowawayPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Outages of a whole server, on a throw-away PostgreSQL of the test's own (the machine's
 * shared server is never stopped or exhausted).
 */
class ServerOutagePostgresTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.username=postgres", "pool.size=2", "pool.overflow=2",
				"pool.acquire-timeout=3s");

	/**
	 * Every request that fails during the restart fails in one of the two bounded ways:
	 * at once, with the connection error of a query in flight when the server went away,
	 * or after waiting {@code pool.acquire-timeout} for a connection (HikariCP's "request
	 * timed out"). None hangs (the load is bounded), and every request that starts after
	 * the server is back succeeds.
	 */
	@Test
	void restartMidLoadFailsFastOrWaitsWithinAcquireTimeoutAndRecoversWithoutARestart() throws Exception {
		assumeThrowawayServers();
		try (ThrowawayPostgres server = ThrowawayPostgres.start()) {
			this.runner.withPropertyValues("spring.datasource.url=" + server.url()).run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				Load.Result result = Load
					.of(4, 400, () -> jdbc.queryForObject("SELECT 1 FROM pg_sleep(0.005)", Integer.class))
					.faultAfterAQuarter(() -> {
						server.restartServer();
						return null;
					})
					.run();
				assertThat(result.failures()).as("failures during the outage (%s)", result)
					.allSatisfy((outcome) -> assertThat(outcome.failure()).satisfiesAnyOf(
							ServerOutagePostgresTests::isAcquireTimeout, ServerOutagePostgresTests::isConnectionLost));
				assertThat(result.afterFault()).as("requests that started after the restart (%s)", result)
					.isNotEmpty()
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
				"superuser_reserved_connections = 0"); Hog hog = Hog.take(server.url(), 6)) {
			this.runner.withPropertyValues("spring.datasource.url=" + server.url()).run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				// The server's refusal itself, not HikariCP's acquire timeout: no
				// waiting.
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> dataSource.getConnection().close())
					.isNotInstanceOf(SQLTransientConnectionException.class)
					.satisfies((ex) -> assertThat(ex.getSQLState()).as("too_many_connections").isEqualTo("53300"))
					.satisfies((ex) -> assertThat(messages(ex)).contains("too many clients"));
			});
		}
	}

	/**
	 * {@code pool.size=0}: HikariCP keeps no idle connection, so it opens one only when a
	 * caller asks and never tops the pool up behind the test's back while the other
	 * client takes the server's remaining connections.
	 */
	@Test
	void maxConnectionsTakenByAnotherClientWhileRunningIsAClearErrorWithinAcquireTimeout() throws Exception {
		assumeThrowawayServers();
		try (ThrowawayPostgres server = ThrowawayPostgres.start("max_connections = 6",
				"superuser_reserved_connections = 0")) {
			this.runner.withPropertyValues("spring.datasource.url=" + server.url(), "pool.size=0").run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				try (Connection held = dataSource.getConnection(); Hog hog = Hog.take(server.url(), 5)) {
					assertThat(dataSource.getHikariPoolMXBean().getTotalConnections()).isOne();
					assertThatExceptionOfType(SQLTransientConnectionException.class)
						.isThrownBy(() -> dataSource.getConnection().close())
						.satisfies(ServerOutagePostgresTests::isAcquireTimeout)
						.satisfies((ex) -> assertThat(messages(ex)).contains("too many clients"));
					assertThat(dataSource.getHikariPoolMXBean().getTotalConnections())
						.as("connections the pool holds after the failed borrow")
						.isOne();
				}
			});
		}
	}

	/**
	 * HikariCP gave up after {@code pool.acquire-timeout}: its "request timed out" error,
	 * directly or as the cause of Spring's.
	 */
	private static void isAcquireTimeout(Throwable failure) {
		assertThat(causes(failure))
			.anySatisfy((cause) -> assertThat(cause).isInstanceOf(SQLTransientConnectionException.class)
				.hasMessageContaining("request timed out after"));
	}

	/**
	 * A query in flight lost its connection: a connection exception (SQLSTATE class 08)
	 * or the server shutting down (57P01 to 57P03).
	 */
	private static void isConnectionLost(Throwable failure) {
		assertThat(causes(failure)).anySatisfy((cause) -> assertThat(cause).isInstanceOf(SQLException.class)
			.extracting((ex) -> String.valueOf(((SQLException) ex).getSQLState()))
			.satisfies((state) -> assertThat(state.startsWith("08") || state.startsWith("57P0"))
				.as("SQLSTATE %s of %s", state, cause)
				.isTrue()));
	}

	private static List<Throwable> causes(Throwable ex) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable cause = ex; cause != null && !causes.contains(cause); cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	private static String messages(Throwable ex) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append(" / ");
		}
		return messages.toString();
	}

	private static void assumeThrowawayServers() {
		Databases.assumeAvailable(ThrowawayPostgres.available(), ThrowawayPostgres.requirement());
	}

	/**
	 * Another client that holds a given number of connections: it keeps trying until it
	 * has them (a backend that just closed may still count against
	 * {@code max_connections} for a moment), and fails the test if it cannot get them
	 * within the bound.
	 */
	private static final class Hog implements AutoCloseable {

		private final List<Connection> connections = new ArrayList<>();

		static Hog take(String url, int count) {
			Hog hog = new Hog();
			try {
				await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
					while (hog.connections.size() < count) {
						hog.connections.add(DriverManager.getConnection(url, "postgres", ""));
					}
				});
				assertThatExceptionOfType(SQLException.class)
					.as("the server allows no connection beyond the other client's %s", count)
					.isThrownBy(() -> DriverManager.getConnection(url, "postgres", "").close())
					.withMessageContaining("too many clients");
			}
			catch (RuntimeException | Error ex) {
				hog.close();
				throw ex;
			}
			return hog;
		}

		@Override
		public void close() {
			for (Connection connection : this.connections) {
				try {
					connection.close();
				}
				catch (SQLException ex) {
					// closing anyway
				}
			}
		}

	}

}
