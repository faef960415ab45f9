package dev.pool.jdbc.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pools the starter made, through the application context's life: stopped and started
 * again (a checkpoint and restore), and closed then made anew in a new context (a
 * devtools restart). SQLite's writer and readers on a real file; the primary and the
 * replica of {@code pool.read.url} on the real PostgreSQL, told apart by their
 * application names in {@code pg_stat_activity}.
 */
class JdbcPoolLifecycleTests {

	private static final Duration CLOSING = Duration.ofSeconds(15);

	private static final String APPLICATION_NAME = "SELECT current_setting('application_name')";

	@TempDir
	Path directory;

	private final String id = UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				ServerCheckAutoConfiguration.class))
		.withPropertyValues("pool.size=2", "pool.overflow=2");

	private ApplicationContextRunner replica(String primaryName, String readName) {
		return this.runner.withPropertyValues(
				"spring.datasource.url=" + Databases.POSTGRES_URL + "?ApplicationName=" + primaryName,
				"spring.datasource.username=" + Databases.POSTGRES_USER,
				"spring.datasource.hikari.pool-name=" + primaryName,
				"pool.read.url=" + Databases.POSTGRES_URL + "?ApplicationName=" + readName,
				"pool.read.username=" + Databases.POSTGRES_USER);
	}

	@Test
	void sqliteWriterAndReadersCloseTheirConnectionsWhenStoppedAndServeAgainWhenStarted() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.directory.resolve("stop.db"))
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				jdbc.execute("CREATE TABLE numbers (n INTEGER)");
				jdbc.update("INSERT INTO numbers VALUES (1)");
				assertThat(readOnlyCount(context, jdbc)).isEqualTo(1);
				ReadWriteDataSource pools = context.getBean(ReadWriteDataSource.class);
				assertThat(openConnections(pools.getWritePool())).isPositive();
				assertThat(openConnections(pools.getReadPool())).isPositive();

				context.stop();
				assertThat(openConnections(pools.getWritePool())).as("writer connections when stopped").isZero();
				assertThat(openConnections(pools.getReadPool())).as("reader connections when stopped").isZero();

				context.start();
				jdbc.update("INSERT INTO numbers VALUES (2)");
				assertThat(readOnlyCount(context, jdbc)).isEqualTo(2);
				assertThat(pools.getWritePool().getMinimumIdle()).isEqualTo(1);
				assertThat(pools.getReadPool().getMinimumIdle()).isEqualTo(2);
			});
	}

	@Test
	void postgresPrimaryAndReplicaLeaveNoBackendWhenStoppedAndServeAgainWhenStarted() {
		Databases.assumePostgres();
		String primaryName = "pool-lc-primary-" + this.id;
		String readName = "pool-lc-read-" + this.id;
		replica(primaryName, readName).run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject(APPLICATION_NAME, String.class)).isEqualTo(primaryName);
			assertThat(readOnlyApplicationName(context, jdbc)).isEqualTo(readName);
			assertThat(Databases.postgresBackends(primaryName)).isPositive();
			assertThat(Databases.postgresBackends(readName)).isPositive();

			context.stop();
			awaitNoBackend(primaryName);
			awaitNoBackend(readName);

			context.start();
			assertThat(jdbc.queryForObject(APPLICATION_NAME, String.class)).isEqualTo(primaryName);
			assertThat(readOnlyApplicationName(context, jdbc)).isEqualTo(readName);
			assertThat(Databases.postgresBackends(primaryName)).isPositive();
			assertThat(Databases.postgresBackends(readName)).isPositive();
		});
		awaitNoBackend(primaryName);
		awaitNoBackend(readName);
	}

	/**
	 * A devtools restart closes the context and makes a new one (in a new class loader):
	 * twice here, each time nothing of the old context's pools may be left.
	 */
	@Test
	void aRestartLeavesNothingOfTheOldContextsPools() {
		Databases.assumePostgres();
		for (int restart = 0; restart < 3; restart++) {
			String primaryName = "pool-lc-restart-" + this.id + "-" + restart;
			String readName = primaryName + "-replica";
			replica(primaryName, readName).run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				assertThat(jdbc.queryForObject(APPLICATION_NAME, String.class)).isEqualTo(primaryName);
				assertThat(readOnlyApplicationName(context, jdbc)).isEqualTo(readName);
			});
			awaitNoBackend(primaryName);
			awaitNoBackend(readName);
			await().atMost(CLOSING)
				.untilAsserted(() -> assertThat(threadsNamed(primaryName)).as("threads of the closed pools").isEmpty());
		}
	}

	private static TransactionTemplate readOnly(AssertableApplicationContext context) {
		TransactionTemplate readOnly = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
		readOnly.setReadOnly(true);
		return readOnly;
	}

	private static Integer readOnlyCount(AssertableApplicationContext context, JdbcTemplate jdbc) {
		return readOnly(context)
			.execute((status) -> jdbc.queryForObject("SELECT count(*) FROM numbers", Integer.class));
	}

	private static String readOnlyApplicationName(AssertableApplicationContext context, JdbcTemplate jdbc) {
		return readOnly(context).execute((status) -> jdbc.queryForObject(APPLICATION_NAME, String.class));
	}

	private static int openConnections(HikariDataSource pool) {
		return pool.getHikariPoolMXBean().getTotalConnections();
	}

	static void awaitNoBackend(String applicationName) {
		await().atMost(CLOSING)
			.untilAsserted(
					() -> assertThat(Databases.postgresBackends(applicationName)).as("backends of %s", applicationName)
						.isZero());
	}

	/**
	 * HikariCP names its threads after the pool: {@code <pool> housekeeper},
	 * {@code <pool> connection adder}, {@code <pool> connection closer}.
	 */
	static List<String> threadsNamed(String poolName) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.contains(poolName))
			.toList();
	}

}
