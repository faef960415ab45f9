package dev.pool.jdbc.autoconfigure;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.testsupport.Load;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * SQLite done right, on real files: one writer connection, a pool of read-only readers,
 * and Spring's read-only transactions routed to the readers.
 */
class SqliteReadWriteTests {

	private static final int WRITERS = 8;

	private static final int READERS = 8;

	private static final int TRANSACTIONS = 100;

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("pool.size=4", "pool.overflow=4");

	private ApplicationContextRunner on(String file) {
		return this.runner.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.directory.resolve(file));
	}

	@Test
	void eightWritersAndEightReadersNeverSeeDatabaseLockedWhilePlainHikariDoes() {
		Outcome[] plain = new Outcome[1];
		on("plain.db").withPropertyValues("pool.enabled=false").run((context) -> plain[0] = runLoad(context));
		on("pooled.db").run((context) -> {
			Outcome pooled = runLoad(context);
			System.out
				.println("SQLite 8 writers + 8 readers: starter " + pooled + "; plain Boot + HikariCP " + plain[0]);
			assertThat(pooled.errors()).as("errors through the starter (plain Boot + HikariCP: %s)", plain[0])
				.isEmpty();
			assertThat(pooled.rows()).isEqualTo(WRITERS * TRANSACTIONS);
			assertThat(pooled.sum()).isEqualTo(expectedSum());
		});
		assertThat(plain[0].errors())
			.as("the same load through Spring Boot's plain HikariCP pool fails with SQLITE_BUSY / database is locked")
			.isNotEmpty()
			.anyMatch((message) -> message.contains("SQLITE_BUSY") || message.contains("locked"));
		assertThat(plain[0].rows()).as("writes that failed are lost").isLessThan(WRITERS * TRANSACTIONS);
	}

	@Test
	void everyConnectionIsInWalModeWithTheSettingsApplied() {
		on("wal.db").withPropertyValues("pool.sqlite.busy-timeout=7s").run((context) -> {
			ReadWriteDataSource pools = context.getBean(ReadWriteDataSource.class);
			assertThat(pools.getWritePool().getMaximumPoolSize()).isEqualTo(1);
			assertThat(pools.getReadPool().getMinimumIdle()).isEqualTo(4);
			assertThat(pools.getReadPool().getMaximumPoolSize()).isEqualTo(8);
			List<Connection> held = new ArrayList<>();
			try {
				held.add(pools.getWritePool().getConnection());
				for (int i = 0; i < 8; i++) {
					held.add(pools.getReadPool().getConnection());
				}
				for (Connection connection : held) {
					assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
					assertThat(pragma(connection, "busy_timeout")).isEqualTo("7000");
					assertThat(pragma(connection, "synchronous")).isEqualTo("1");
					assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
				}
			}
			finally {
				for (Connection connection : held) {
					connection.close();
				}
			}
		});
	}

	@Test
	void readOnlyTransactionsRunOnAReaderAndEverythingElseOnTheWriter() {
		on("routing.db").withBean(ReportService.class).run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			jdbc.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, name TEXT)");
			ReadWriteDataSource pools = context.getBean(ReadWriteDataSource.class);
			ReportService service = context.getBean(ReportService.class);
			assertThat(service.activeDuringReadOnly(pools)).isEqualTo(new Active(0, 1));
			assertThat(service.activeDuringReadWrite(pools)).isEqualTo(new Active(1, 0));
			assertThat(service.activeWithoutTransaction(pools)).isEqualTo(new Active(1, 0));
		});
	}

	@Test
	void aWriteInsideAReadOnlyTransactionFailsClearly() {
		on("readonly.db").run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			jdbc.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, name TEXT)");
			TransactionTemplate readOnly = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			readOnly.setReadOnly(true);
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> readOnly
					.executeWithoutResult((status) -> jdbc.update("INSERT INTO report (name) VALUES ('sneaky')")))
				.withMessageContaining("readonly");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM report", Integer.class)).isZero();
		});
	}

	@Test
	void inMemoryDatabaseKeepsExactlyOneConnectionThatIsNeverRecycled() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:sqlite::memory:").run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource).isInstanceOf(HikariDataSource.class);
			HikariDataSource hikari = (HikariDataSource) dataSource;
			assertThat(hikari.getMaximumPoolSize()).isEqualTo(1);
			assertThat(hikari.getMaxLifetime()).isZero();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			jdbc.execute("CREATE TABLE kept (id INTEGER)");
			jdbc.update("INSERT INTO kept VALUES (1)");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM kept", Integer.class)).isOne();
		});
	}

	@Test
	void badJournalModeFailsStartUp() {
		on("bad.db").withPropertyValues("pool.sqlite.journal-mode=fast").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("pool.sqlite.journal-mode")
				.hasMessageContaining("wal, delete");
		});
	}

	private static String pragma(Connection connection, String name) throws Exception {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("PRAGMA " + name)) {
			result.next();
			return result.getString(1);
		}
	}

	private static long expectedSum() {
		long sum = 0;
		for (int writer = 0; writer < WRITERS; writer++) {
			for (int i = 0; i < TRANSACTIONS; i++) {
				sum += writer * 1000L + i;
			}
		}
		return sum;
	}

	/**
	 * Writers run read-then-write transactions (the pattern that deadlocks two deferred
	 * SQLite transactions); readers run read-only transactions. Bounded in count and
	 * time.
	 */
	private static Outcome runLoad(AssertableApplicationContext context) throws Exception {
		assertThat(context).hasNotFailed();
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		jdbc.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL, value INTEGER NOT NULL)");
		PlatformTransactionManager transactions = context.getBean(PlatformTransactionManager.class);
		TransactionTemplate readWrite = new TransactionTemplate(transactions);
		TransactionTemplate readOnly = new TransactionTemplate(transactions);
		readOnly.setReadOnly(true);
		List<String> errors = Load.of(WRITERS, TRANSACTIONS, (writer, i) -> readWrite.executeWithoutResult((status) -> {
			jdbc.queryForObject("SELECT count(*) FROM item WHERE writer = ?", Integer.class, writer);
			jdbc.update("INSERT INTO item (writer, value) VALUES (?, ?)", writer, writer * 1000 + i);
		}))
			.and(READERS, TRANSACTIONS,
					(reader, i) -> readOnly
						.executeWithoutResult((status) -> jdbc.queryForList("SELECT count(*), sum(value) FROM item")))
			.run()
			.errors();
		Integer rows = jdbc.queryForObject("SELECT count(*) FROM item", Integer.class);
		Long sum = jdbc.queryForObject("SELECT coalesce(sum(value), 0) FROM item", Long.class);
		return new Outcome(errors, rows, sum);
	}

	record Outcome(List<String> errors, int rows, long sum) {

		@Override
		public String toString() {
			return this.errors.size() + " errors, " + this.rows + " rows"
					+ (this.errors.isEmpty() ? "" : ", first: " + this.errors.get(0));
		}

	}

	record Active(int writer, int reader) {

		static Active of(ReadWriteDataSource pools) {
			return new Active(pools.getWritePool().getHikariPoolMXBean().getActiveConnections(),
					pools.getReadPool().getHikariPoolMXBean().getActiveConnections());
		}

	}

	static class ReportService {

		private final JdbcTemplate jdbc;

		ReportService(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Transactional(readOnly = true)
		Active activeDuringReadOnly(ReadWriteDataSource pools) {
			this.jdbc.queryForObject("SELECT count(*) FROM report", Integer.class);
			return Active.of(pools);
		}

		@Transactional
		Active activeDuringReadWrite(ReadWriteDataSource pools) {
			this.jdbc.update("INSERT INTO report (name) VALUES ('written')");
			return Active.of(pools);
		}

		Active activeWithoutTransaction(ReadWriteDataSource pools) {
			return this.jdbc.execute((Connection connection) -> {
				try (Statement statement = connection.createStatement()) {
					statement.execute("SELECT count(*) FROM report");
				}
				return Active.of(pools);
			});
		}

	}

}
