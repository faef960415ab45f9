package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code pool.read.url} against the real PostgreSQL on 127.0.0.1: the "replica" is the
 * same server under another application name, so {@code pg_stat_activity} tells which
 * pool a transaction ran on.
 */
class ReplicaPostgresTests {

	private final String id = UUID.randomUUID().toString().substring(0, 8);

	private final String primaryName = "pool-primary-" + this.id;

	private final String readName = "pool-read-" + this.id;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL + "?ApplicationName=" + this.primaryName,
				"spring.datasource.username=" + Databases.POSTGRES_USER, "pool.size=2", "pool.overflow=2",
				"pool.read.url=" + Databases.POSTGRES_URL + "?ApplicationName=" + this.readName,
				"pool.read.username=" + Databases.POSTGRES_USER, "pool.read.size=1", "pool.read.overflow=2");

	@Test
	void readOnlyTransactionsRunOnTheReadPool() {
		Databases.assumePostgres();
		this.runner.run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			PlatformTransactionManager transactions = context.getBean(PlatformTransactionManager.class);
			TransactionTemplate readOnly = new TransactionTemplate(transactions);
			readOnly.setReadOnly(true);
			String applicationName = "SELECT current_setting('application_name')";
			String inReadOnly = readOnly.execute((status) -> jdbc.queryForObject(applicationName, String.class));
			assertThat(inReadOnly).isEqualTo(this.readName);
			String inReadWrite = new TransactionTemplate(transactions)
				.execute((status) -> jdbc.queryForObject(applicationName, String.class));
			assertThat(inReadWrite).isEqualTo(this.primaryName);
			assertThat(jdbc.queryForObject(applicationName, String.class)).isEqualTo(this.primaryName);
			assertThat(Databases.postgresBackends(this.readName)).isBetween(1, 3);
			ReadWriteDataSource pools = context.getBean(ReadWriteDataSource.class);
			assertThat(pools.getReadName()).isEqualTo("read");
			assertThat(pools.getReadPool().getMinimumIdle()).isEqualTo(1);
			assertThat(pools.getReadPool().getMaximumPoolSize()).isEqualTo(3);
			assertThat(pools.getWritePool().getMaximumPoolSize()).isEqualTo(4);
		});
	}

	@Test
	void bothPoolsAreClosedWhenTheContextCloses() {
		Databases.assumePostgres();
		this.runner.run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			TransactionTemplate readOnly = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			readOnly.setReadOnly(true);
			readOnly.executeWithoutResult((status) -> jdbc.queryForObject("SELECT 1", Integer.class));
			jdbc.queryForObject("SELECT 1", Integer.class);
			assertThat(Databases.postgresBackends(this.readName)).as("read pool backends while open").isPositive();
			assertThat(Databases.postgresBackends(this.primaryName)).as("primary pool backends while open")
				.isPositive();
		});
		// The server ends a backend shortly after its client closed it.
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			assertThat(Databases.postgresBackends(this.readName)).as("read pool backends after close").isZero();
			assertThat(Databases.postgresBackends(this.primaryName)).as("primary pool backends after close").isZero();
		});
	}

	@Test
	void aWriteInsideAReadOnlyTransactionFailsClearly() {
		Databases.assumePostgres();
		this.runner.run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			String table = "pool_replica_" + this.id;
			jdbc.execute("CREATE TABLE " + table + " (id int)");
			try {
				TransactionTemplate readOnly = new TransactionTemplate(
						context.getBean(PlatformTransactionManager.class));
				readOnly.setReadOnly(true);
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> readOnly
						.executeWithoutResult((status) -> jdbc.update("INSERT INTO " + table + " VALUES (1)")))
					.withMessageContaining("read-only transaction");
				assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class)).isZero();
			}
			finally {
				jdbc.execute("DROP TABLE " + table);
			}
		});
	}

	@Test
	void negativeReadSizeFailsStartUp() {
		this.runner.withPropertyValues("pool.read.size=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("pool.read.size")
				.hasMessageContaining("'-1'");
		});
	}

}
