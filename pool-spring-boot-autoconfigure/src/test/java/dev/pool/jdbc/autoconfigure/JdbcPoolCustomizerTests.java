package dev.pool.jdbc.autoconfigure;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.Setting;
import dev.pool.jdbc.JdbcPoolCustomizer;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JdbcPoolCustomizer} beans: applied after {@code pool.*}, in order, to every pool
 * the starter makes or tunes, before the pool starts, on a real SQLite file and a real
 * PostgreSQL.
 */
class JdbcPoolCustomizerTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, PoolJdbcAutoConfiguration.class));

	@Test
	void sqliteWriterAndReadersGetTheCustomizersInOrderAfterThePoolKeys() {
		List<String> calls = new CopyOnWriteArrayList<>();
		this.runner
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("customized.db"),
					"pool.size=2", "pool.overflow=1", "pool.acquire-timeout=5s")
			// Registered late-first: the order comes from Ordered, not from registration.
			.withBean("second", Recording.class, () -> new Recording(2, calls, 9_000, "PRAGMA cache_size = -4321"))
			.withBean("first", Recording.class, () -> new Recording(1, calls, 7_000, "PRAGMA cache_size = -1234"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReadWriteDataSource pools = context.getBean(ReadWriteDataSource.class);
				assertThat(calls).containsExactly("1:writer", "2:writer", "1:reader", "2:reader");
				// The last customizer wins over pool.acquire-timeout and over the first.
				assertThat(pools.getWritePool().getConnectionTimeout()).isEqualTo(9_000);
				assertThat(pools.getReadPool().getConnectionTimeout()).isEqualTo(9_000);
				// The layout still holds: one writer connection, readers sized by pool.*.
				assertThat(pools.getWritePool().getMaximumPoolSize()).isEqualTo(1);
				assertThat(pools.getReadPool().getMaximumPoolSize()).isEqualTo(3);
				// Both pools run with what the customizers set: every connection runs the
				// init SQL.
				assertThat(cacheSize(pools.getWritePool())).isEqualTo(-4321);
				assertThat(cacheSize(pools.getReadPool())).isEqualTo(-4321);
				JdbcPools described = context.getBean(JdbcPools.class);
				assertThat(described.describe()).extracting(JdbcPoolDescription::role)
					.containsExactly("writer", "reader");
				for (JdbcPoolDescription pool : described.describe()) {
					assertThat(pool.settings().get("acquire-timeout"))
						.isEqualTo(new Setting<>(Duration.ofSeconds(9), Setting.CUSTOMIZER, "pool.acquire-timeout"));
					assertThat(pool.settings().get("size").source()).isNotEqualTo(Setting.CUSTOMIZER);
				}
			});
	}

	@Test
	void postgresPrimaryAndReadPoolsRunWithWhatTheCustomizerSet() {
		Databases.assumePostgres();
		String id = UUID.randomUUID().toString().substring(0, 8);
		this.runner
			.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL,
					"spring.datasource.username=" + Databases.POSTGRES_USER, "pool.size=1", "pool.overflow=1",
					"pool.read.url=" + Databases.POSTGRES_URL, "pool.read.username=" + Databases.POSTGRES_USER)
			.withBean(JdbcPoolCustomizer.class,
					() -> (role, config) -> config.addDataSourceProperty("ApplicationName",
							"custom-" + role + "-" + id))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				PlatformTransactionManager transactions = context.getBean(PlatformTransactionManager.class);
				TransactionTemplate readOnly = new TransactionTemplate(transactions);
				readOnly.setReadOnly(true);
				String applicationName = "SELECT current_setting('application_name')";
				String inReadWrite = new TransactionTemplate(transactions)
					.execute((status) -> jdbc.queryForObject(applicationName, String.class));
				String inReadOnly = readOnly.execute((status) -> jdbc.queryForObject(applicationName, String.class));
				assertThat(inReadWrite).isEqualTo("custom-primary-" + id);
				assertThat(inReadOnly).isEqualTo("custom-read-" + id);
			});
	}

	@Test
	void aHikariDataSourceOfTheApplicationsOwnIsCustomizedTooAndAStartedOneIsLeftAlone() {
		List<String> calls = new CopyOnWriteArrayList<>();
		this.runner.withPropertyValues("pool.acquire-timeout=5s").withBean("mine", HikariDataSource.class, () -> {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:sqlite:" + directory.resolve("mine.db"));
			return dataSource;
		})
			.withBean(Recording.class, () -> new Recording(1, calls, 6_000, "PRAGMA cache_size = -555"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HikariDataSource mine = context.getBean(HikariDataSource.class);
				assertThat(calls).containsExactly("1:primary");
				assertThat(mine.getConnectionTimeout()).isEqualTo(6_000);
				assertThat(cacheSize(mine)).isEqualTo(-555);
			});
	}

	private static int cacheSize(DataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("PRAGMA cache_size")) {
			result.next();
			return result.getInt(1);
		}
	}

	/**
	 * Records its calls, sets the acquire timeout and an init SQL.
	 */
	static final class Recording implements JdbcPoolCustomizer, Ordered {

		private final int order;

		private final List<String> calls;

		private final long connectionTimeout;

		private final String initSql;

		Recording(int order, List<String> calls, long connectionTimeout, String initSql) {
			this.order = order;
			this.calls = calls;
			this.connectionTimeout = connectionTimeout;
			this.initSql = initSql;
		}

		@Override
		public void customize(String role, HikariConfig config) {
			this.calls.add(this.order + ":" + role);
			config.setConnectionTimeout(this.connectionTimeout);
			config.setConnectionInitSql(this.initSql);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

}
