package dev.pool.jdbc.autoconfigure;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.AfterEach;
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
 * {@code pool.pre-ping} against the real PostgreSQL on 127.0.0.1: every backend of the
 * pool is killed with {@code pg_terminate_backend} right after use, as a server restart
 * or an administrator would, and the next queries go through the DataSource.
 */
class PrePingPostgresTests {

	private static final int SIZE = 4;

	private static final int QUERIES = 200;

	/** HikariCP's JVM-wide alive-bypass window, read once by each pool as it starts. */
	private static final String BYPASS_WINDOW = "com.zaxxer.hikari.aliveBypassWindowMs";

	private final String applicationName = "pool-preping-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				PoolJdbcAutoConfiguration.class))
		.withPropertyValues(
				"spring.datasource.url=" + Databases.POSTGRES_URL + "?ApplicationName=" + this.applicationName,
				"spring.datasource.username=" + Databases.POSTGRES_USER, "pool.size=" + SIZE, "pool.overflow=0",
				"pool.acquire-timeout=5s");

	@AfterEach
	void noBypassWindowLeftBehind() {
		System.clearProperty(BYPASS_WINDOW);
	}

	/**
	 * HikariCP's own check is taken out of the picture (a window of a minute for
	 * connections used recently): the starter's check alone finds every killed
	 * connection.
	 */
	@Test
	void withPrePingNoQueryFailsAfterEveryBackendIsKilled() {
		Databases.assumePostgres();
		System.setProperty(BYPASS_WINDOW, "60000");
		this.runner.run((context) -> {
			KillResult result = useAllThenKillAllThenQuery(context);
			assertThat(result.failures()).as("queries that failed after the kill").isEmpty();
			assertThat(result.killed()).isEqualTo(SIZE);
			assertThat(Databases.postgresBackends(this.applicationName)).isBetween(1, SIZE);
			ManagedHikariDataSource dataSource = context.getBean(ManagedHikariDataSource.class);
			assertThat(dataSource.getDeadOnBorrowCount()).as("connections found dead and evicted").isEqualTo(SIZE);
		});
	}

	/**
	 * HikariCP skips its alive check for a connection used within
	 * {@code com.zaxxer.hikari.aliveBypassWindowMs} (500 ms by default). The test widens
	 * the window to a minute for its pool, so that how long the machine takes between the
	 * use, the kill and the next query cannot decide whether HikariCP checks.
	 */
	@Test
	void withoutPrePingAConnectionKilledRightAfterUseReachesTheCaller() {
		Databases.assumePostgres();
		System.setProperty(BYPASS_WINDOW, "60000");
		this.runner.withPropertyValues("pool.pre-ping=false").run((context) -> {
			KillResult result = useAllThenKillAllThenQuery(context);
			assertThat(result.killed()).isEqualTo(SIZE);
			assertThat(result.failures())
				.as("HikariCP skips the alive check for connections used recently, so dead ones are handed out")
				.isNotEmpty()
				.allMatch((message) -> message.contains("terminat") || message.contains("closed")
						|| message.contains("I/O"));
		});
	}

	@Test
	void prePingSetsNoSystemPropertyAndLeavesHikariCpsOwnCheckAlone() {
		Databases.assumePostgres();
		this.runner.run((context) -> {
			ManagedHikariDataSource managed = context.getBean(ManagedHikariDataSource.class);
			try (Connection connection = managed.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
			assertThat(System.getProperty(BYPASS_WINDOW)).as("left behind by the starter").isNull();
			assertThat(bypassWindowMillis(managed)).as("HikariCP's own window").isEqualTo(500);
			assertThat(managed.getPrePingCheck()).as("PostgreSQL over a plain socket").startsWith("bytes");
		});
	}

	/**
	 * The check reads what the server already sent: the backend sees no statement. The
	 * last statement a backend ran is in {@code pg_stat_activity.query}; {@code isValid},
	 * the round trip the check replaces, changes it (the control).
	 */
	@Test
	void prePingOnPostgresSendsNothingToTheServer() {
		Databases.assumePostgres();
		this.runner.withPropertyValues("pool.size=1", "pool.overflow=0").run((context) -> {
			ManagedHikariDataSource dataSource = context.getBean(ManagedHikariDataSource.class);
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("SELECT 'marker'");
			}
			for (int i = 0; i < 20; i++) {
				dataSource.getConnection().close();
			}
			assertThat(lastStatement()).as("after 20 borrows with pre-ping").isEqualTo("SELECT 'marker'");
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
			assertThat(lastStatement()).as("after one round trip (isValid)").isNotEqualTo("SELECT 'marker'");
		});
	}

	private String lastStatement() throws Exception {
		try (Connection admin = Databases.postgres();
				PreparedStatement statement = admin
					.prepareStatement("SELECT query FROM pg_stat_activity WHERE application_name = ?")) {
			statement.setString(1, this.applicationName);
			try (ResultSet result = statement.executeQuery()) {
				assertThat(result.next()).as("the pool's backend").isTrue();
				return result.getString(1);
			}
		}
	}

	/**
	 * The window a started pool took when it was made (HikariCP keeps it in a private
	 * field; there is no getter).
	 */
	private static long bypassWindowMillis(HikariDataSource dataSource) throws Exception {
		Field field = HikariPool.class.getDeclaredField("aliveBypassWindowMs");
		field.setAccessible(true);
		return field.getLong(dataSource.getHikariPoolMXBean());
	}

	/**
	 * Borrow every connection of a pool at once, run a statement on each, and return
	 * them: every connection was used just now.
	 * @param dataSource the pool
	 * @param size its connections
	 */
	static void useEveryConnection(DataSource dataSource, int size) throws SQLException {
		List<Connection> held = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			held.add(dataSource.getConnection());
		}
		for (Connection connection : held) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("SELECT 1");
			}
			connection.close();
		}
	}

	private KillResult useAllThenKillAllThenQuery(AssertableApplicationContext context) throws Exception {
		assertThat(context).hasNotFailed();
		HikariDataSource dataSource = context.getBean(HikariDataSource.class);
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		useEveryConnection(dataSource, SIZE);
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
