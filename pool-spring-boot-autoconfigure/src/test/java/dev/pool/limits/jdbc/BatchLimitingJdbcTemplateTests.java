package dev.pool.limits.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.limits.BatchTooLargeException;
import dev.pool.limits.ResourceLimits;
import dev.pool.limits.autoconfigure.LimitsAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSourceUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Batch updates through the starter's JdbcTemplate go to the database in JDBC batches of
 * at most {@code pool.limits.max-batch-size}, on a real SQLite file.
 */
class BatchLimitingJdbcTemplateTests {

	@TempDir
	Path directory;

	private BatchCounter counter;

	private JdbcTemplate jdbcTemplate;

	@BeforeEach
	void createTable() {
		this.counter = new BatchCounter(
				new DriverManagerDataSource("jdbc:sqlite:" + this.directory.resolve("batch.db")));
		this.jdbcTemplate = new BatchLimitingJdbcTemplate(this.counter, 32);
		this.jdbcTemplate.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
		this.counter.batches.clear();
	}

	@Test
	void argumentListsAreSentInChunks() {
		int[] counts = this.jdbcTemplate.batchUpdate("INSERT INTO item VALUES (?, ?)", rows(100));
		assertThat(counts).hasSize(100).containsOnly(1);
		assertThat(this.counter.batches).containsExactly(32, 32, 32, 4);
		assertThat(this.jdbcTemplate.queryForObject("SELECT count(*) FROM item", Integer.class)).isEqualTo(100);
		assertThat(this.jdbcTemplate.queryForObject("SELECT name FROM item WHERE id = 99", String.class))
			.isEqualTo("item 99");
	}

	@Test
	void smallBatchesAreSentWhole() {
		this.jdbcTemplate.batchUpdate("INSERT INTO item VALUES (?, ?)", rows(32));
		assertThat(this.counter.batches).containsExactly(32);
	}

	@Test
	void statementArraysAreSentInChunks() {
		String[] sql = IntStream.range(0, 40)
			.mapToObj((i) -> "INSERT INTO item VALUES (" + i + ", 'x')")
			.toArray(String[]::new);
		assertThat(this.jdbcTemplate.batchUpdate(sql)).hasSize(40);
		assertThat(this.counter.batches).containsExactly(32, 8);
	}

	@Test
	void aLargerChosenBatchSizeIsCappedAtTheLimit() {
		int[][] counts = this.jdbcTemplate.batchUpdate("INSERT INTO item VALUES (?, ?)", rows(70), 50, (ps, row) -> {
			ps.setObject(1, row[0]);
			ps.setObject(2, row[1]);
		});
		assertThat(counts).hasNumberOfRows(3);
		assertThat(this.counter.batches).containsExactly(32, 32, 6);
	}

	@Test
	void namedParameterBatchesAreSentInChunks() {
		NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(this.jdbcTemplate);
		SqlParameterSource[] batch = SqlParameterSourceUtils
			.createBatch(IntStream.range(0, 33).mapToObj((i) -> Map.of("id", i, "name", "n" + i)).toArray(Map[]::new));
		assertThat(named.batchUpdate("INSERT INTO item VALUES (:id, :name)", batch)).hasSize(33);
		assertThat(this.counter.batches).containsExactly(32, 1);
	}

	@Test
	void chunksInATransactionCommitOrRollBackTogether() {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.counter));
		transaction.executeWithoutResult((status) -> {
			this.jdbcTemplate.batchUpdate("INSERT INTO item VALUES (?, ?)", rows(100));
			status.setRollbackOnly();
		});
		assertThat(this.counter.batches).containsExactly(32, 32, 32, 4);
		assertThat(this.jdbcTemplate.queryForObject("SELECT count(*) FROM item", Integer.class)).isZero();
	}

	@Test
	void resourceLimitsSplitAndRefuse() {
		ResourceLimits limits = new ResourceLimits(100, null, 32, 1, 1);
		List<Integer> items = IntStream.range(0, 70).boxed().toList();
		List<List<Integer>> batches = limits.batches(items);
		assertThat(batches).extracting(List::size).containsExactly(32, 32, 6);
		assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(items);
		assertThat(limits.batches(List.of())).isEmpty();
		limits.checkBatchSize(32);
		assertThatExceptionOfType(BatchTooLargeException.class).isThrownBy(() -> limits.checkBatchSize(33))
			.withMessageContaining("33")
			.withMessageContaining("pool.limits.max-batch-size (32)")
			.satisfies((ex) -> assertThat(ex.getMaxBatchSize()).isEqualTo(32));
	}

	@Test
	void springBootsJdbcTemplateJdbcClientAndNamedParameterJdbcTemplateSplit() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
					LimitsAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
					JdbcClientAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.directory.resolve("boot.db"),
					"pool.limits.max-batch-size=10", "spring.jdbc.template.fetch-size=7",
					"spring.jdbc.template.query-timeout=3s")
			.run((context) -> {
				JdbcTemplate jdbcTemplate = context.getBean(JdbcTemplate.class);
				assertThat(jdbcTemplate).isInstanceOf(BatchLimitingJdbcTemplate.class);
				assertThat(((BatchLimitingJdbcTemplate) jdbcTemplate).getMaxBatchSize()).isEqualTo(10);
				assertThat(jdbcTemplate.getFetchSize()).isEqualTo(7);
				assertThat(jdbcTemplate.getQueryTimeout()).isEqualTo(3);
				assertThat(context.getBean(NamedParameterJdbcTemplate.class).getJdbcTemplate()).isSameAs(jdbcTemplate);
				assertThat(context).hasSingleBean(JdbcClient.class);
				jdbcTemplate.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
				assertThat(jdbcTemplate.batchUpdate("INSERT INTO item VALUES (?, ?)", rows(25))).hasSize(25);
				assertThat(context.getBean(JdbcClient.class)
					.sql("SELECT count(*) FROM item")
					.query(Integer.class)
					.single()).isEqualTo(25);
			});
	}

	@Test
	void springKnowsTheTemplatesTypeBeforeItIsMadeAndItKeepsSpringBootsSettings() {
		SQLExceptionTranslator translator = new SQLExceptionSubclassTranslator();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, LimitsAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class))
			.withInitializer(
					(context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.withBean(SQLExceptionTranslator.class, () -> translator)
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.directory.resolve("lazy.db"),
					"pool.limits.max-batch-size=10", "spring.jdbc.template.max-rows=5",
					"spring.jdbc.template.ignore-warnings=false")
			.run((context) -> {
				assertThat(context.getBeanFactory().containsSingleton("jdbcTemplate")).isFalse();
				assertThat(context.getBeanNamesForType(BatchLimitingJdbcTemplate.class))
					.containsExactly("jdbcTemplate");
				assertThat(context.getType("jdbcTemplate")).isEqualTo(BatchLimitingJdbcTemplate.class);
				JdbcTemplate jdbcTemplate = context.getBean(JdbcTemplate.class);
				assertThat(jdbcTemplate).isInstanceOf(BatchLimitingJdbcTemplate.class);
				assertThat(jdbcTemplate.getMaxRows()).isEqualTo(5);
				assertThat(jdbcTemplate.isIgnoreWarnings()).isFalse();
				assertThat(jdbcTemplate.getExceptionTranslator()).isSameAs(translator);
			});
	}

	@Test
	void withoutMaxBatchSizeJdbcTemplateIsSpringBootsOwnAndSendsTheBatchAsGiven() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
					LimitsAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
			.withBean("dataSource", DataSource.class, () -> this.counter)
			.run((context) -> {
				JdbcTemplate jdbcTemplate = context.getBean(JdbcTemplate.class);
				assertThat(jdbcTemplate.getClass()).isEqualTo(JdbcTemplate.class);
				assertThat(jdbcTemplate.batchUpdate("INSERT INTO item VALUES (?, ?)", rows(100))).hasSize(100);
				assertThat(this.counter.batches).containsExactly(100);
			});
	}

	@Test
	void resourceLimitsWithoutABatchLimitKeepTheListWhole() {
		ResourceLimits limits = new ResourceLimits(null, null, null, 1, 1);
		List<Integer> items = IntStream.range(0, 70).boxed().toList();
		assertThat(limits.batches(items)).containsExactly(items);
		assertThat(limits.batches(List.of())).isEmpty();
		limits.checkBatchSize(100_000);
	}

	@Test
	void aJdbcTemplateOfTheApplicationsOwnWins() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, LimitsAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.directory.resolve("own.db"),
					"pool.limits.max-batch-size=10")
			.withUserConfiguration(OwnJdbcTemplate.class)
			.run((context) -> assertThat(context.getBean(JdbcOperations.class))
				.isNotInstanceOf(BatchLimitingJdbcTemplate.class));
	}

	private static List<Object[]> rows(int count) {
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			rows.add(new Object[] { i, "item " + i });
		}
		return rows;
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnJdbcTemplate {

		@Bean
		JdbcTemplate myJdbcTemplate(DataSource dataSource) {
			return new JdbcTemplate(dataSource);
		}

	}

	/**
	 * Records the size of every JDBC batch the database receives.
	 */
	static final class BatchCounter extends DelegatingDataSource {

		final List<Integer> batches = new ArrayList<>();

		BatchCounter(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			Connection connection = super.getConnection();
			return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
					(proxy, method, args) -> {
						Object result = invoke(connection, method, args);
						if (result instanceof Statement statement) {
							return counting(statement,
									(result instanceof PreparedStatement) ? PreparedStatement.class : Statement.class);
						}
						return result;
					});
		}

		private Object counting(Statement statement, Class<?> type) {
			int[] added = new int[1];
			return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type },
					(proxy, method, args) -> {
						if (method.getName().equals("addBatch")) {
							added[0]++;
						}
						if (method.getName().equals("executeBatch")) {
							this.batches.add(added[0]);
							added[0] = 0;
						}
						return invoke(statement, method, args);
					});
		}

		private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
			try {
				return method.invoke(target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

}
