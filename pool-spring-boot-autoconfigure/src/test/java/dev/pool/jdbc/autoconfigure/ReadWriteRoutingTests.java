package dev.pool.jdbc.autoconfigure;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;

import javax.sql.DataSource;

import dev.pool.jdbc.ReadWriteDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionProxy;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection of a {@link ReadWriteDataSource}, on a real SQLite file: no dynamic
 * proxy, a physical connection only once a statement needs one, from the pool the
 * transaction asks for, with the transaction's settings applied.
 */
class ReadWriteRoutingTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, PoolJdbcAutoConfiguration.class));

	private ApplicationContextRunner onFile() {
		return this.runner
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.directory.resolve("routing.db"));
	}

	@Test
	void aConnectionThatRunsNoStatementTakesNothingFromThePools() {
		onFile().run((context) -> {
			ReadWriteDataSource pools = context.getBean(ReadWriteDataSource.class);
			try (Connection connection = pools.getConnection()) {
				assertThat(Proxy.isProxyClass(connection.getClass())).as("a JDK dynamic proxy").isFalse();
				connection.setReadOnly(true);
				connection.setAutoCommit(false);
				connection.commit();
				assertThat(connection.getAutoCommit()).isFalse();
				assertThat(inUse(pools.getWritePool())).isZero();
				assertThat(inUse(pools.getReadPool())).isZero();
			}
		});
	}

	@Test
	void theTransactionsSettingsReachThePhysicalConnectionOfThePoolItAsksFor() {
		onFile().run((context) -> {
			ReadWriteDataSource pools = context.getBean(ReadWriteDataSource.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			jdbc.execute("CREATE TABLE IF NOT EXISTS t (v INTEGER)");
			TransactionTemplate readOnly = new TransactionTemplate(
					context.getBean(org.springframework.transaction.PlatformTransactionManager.class));
			readOnly.setReadOnly(true);
			readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_READ_UNCOMMITTED);
			String[] seen = readOnly.execute((status) -> physical(pools, jdbc));
			assertThat(seen).containsExactly(pools.getReadPool().getPoolName(), "false",
					String.valueOf(Connection.TRANSACTION_READ_UNCOMMITTED));
			TransactionTemplate readWrite = new TransactionTemplate(readOnly.getTransactionManager());
			String[] written = readWrite.execute((status) -> {
				jdbc.update("INSERT INTO t (v) VALUES (1)");
				return physical(pools, jdbc);
			});
			assertThat(written).containsExactly(pools.getWritePool().getPoolName(), "false",
					String.valueOf(Connection.TRANSACTION_SERIALIZABLE));
			assertThat(jdbc.queryForObject("SELECT count(*) FROM t", Integer.class)).isEqualTo(1);
		});
	}

	@Test
	void oneConnectionOverSeveralTransactionsTakesThePoolEachTransactionAsksFor() {
		// The calls Hibernate (a session holding its connection, as with open-in-view)
		// and Spring's JpaTransactionManager make on one connection.
		onFile().run((context) -> {
			ReadWriteDataSource pools = context.getBean(ReadWriteDataSource.class);
			try (Connection connection = pools.getConnection()) {
				execute(connection, "CREATE TABLE t (v INTEGER)");
				assertThat(inUse(pools)).as("outside a transaction").containsExactly(1, 0);
				// A read-only transaction with an isolation level.
				connection.setReadOnly(true);
				connection.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
				assertThat(connection.getAutoCommit()).isTrue();
				connection.setAutoCommit(false);
				assertThat(inUse(pools)).as("begun, before a statement").containsExactly(0, 0);
				execute(connection, "SELECT count(*) FROM t");
				assertThat(inUse(pools)).as("read-only transaction").containsExactly(0, 1);
				Connection reader = ((ConnectionProxy) connection).getTargetConnection();
				assertThat(reader.getAutoCommit()).isFalse();
				assertThat(reader.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_UNCOMMITTED);
				connection.commit();
				connection.setAutoCommit(true);
				connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
				connection.setReadOnly(false);
				execute(connection, "SELECT count(*) FROM t");
				assertThat(inUse(pools)).as("outside a transaction: the connection held").containsExactly(0, 1);
				// A read-write transaction.
				connection.setAutoCommit(false);
				execute(connection, "INSERT INTO t (v) VALUES (1)");
				assertThat(inUse(pools)).as("read-write transaction").containsExactly(1, 0);
				Connection writer = ((ConnectionProxy) connection).getTargetConnection();
				assertThat(writer.getAutoCommit()).isFalse();
				assertThat(writer.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
				// Inside a transaction the pool stays.
				connection.setReadOnly(true);
				connection.setAutoCommit(false);
				execute(connection, "INSERT INTO t (v) VALUES (2)");
				assertThat(inUse(pools)).as("read-only flag inside a transaction").containsExactly(1, 0);
				connection.commit();
				connection.setAutoCommit(true);
				connection.setReadOnly(false);
			}
			assertThat(inUse(pools)).as("closed").containsExactly(0, 0);
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM t", Integer.class))
				.isEqualTo(2);
		});
	}

	private static void execute(Connection connection, String sql) throws java.sql.SQLException {
		try (java.sql.Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * The connections in use in the write pool and the read pool.
	 */
	private static int[] inUse(ReadWriteDataSource pools) {
		return new int[] { inUse(pools.getWritePool()), inUse(pools.getReadPool()) };
	}

	/**
	 * The pool, auto-commit and isolation of the physical connection of this transaction.
	 */
	private static String[] physical(ReadWriteDataSource pools, JdbcTemplate jdbc) {
		jdbc.queryForObject("SELECT 1", Integer.class);
		DataSource dataSource = jdbc.getDataSource();
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			Connection target = DataSourceUtils.getTargetConnection(connection);
			assertThat(target).as("the physical connection").isNotSameAs(connection);
			int reading = inUse(pools.getReadPool());
			int writing = inUse(pools.getWritePool());
			assertThat(reading + writing).as("connections in use").isEqualTo(1);
			String pool = (reading == 1) ? pools.getReadPool().getPoolName() : pools.getWritePool().getPoolName();
			return new String[] { pool, String.valueOf(target.getAutoCommit()),
					String.valueOf(target.getTransactionIsolation()) };
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	private static int inUse(com.zaxxer.hikari.HikariDataSource pool) {
		com.zaxxer.hikari.HikariPoolMXBean live = pool.getHikariPoolMXBean();
		return (live != null) ? live.getActiveConnections() : 0;
	}

}
