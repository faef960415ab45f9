package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.pool.check.ServerCheck;
import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.Load;
import dev.pool.testsupport.PgBouncer;
import dev.pool.testsupport.TestEnvironment;
import org.junit.jupiter.api.Test;

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

/**
 * Three application instances, each with its own pool, through one PgBouncer in
 * transaction pooling mode whose server pool (3) is smaller than the sum of theirs (12).
 */
class PgBouncerTests {

	private static final int INSTANCES = 3;

	private static final int SERVER_POOL = 3;

	private final String database = "pool_bouncer_" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				ServerCheckAutoConfiguration.class))
		.withPropertyValues("spring.datasource.username=postgres", "pool.size=2", "pool.overflow=2",
				"pool.instances=" + INSTANCES, "pool.pgbouncer.pool-size=" + SERVER_POOL);

	@Test
	void threeInstancesThroughOnePgBouncerWithTheStarterHaveNoFailures() throws Exception {
		List<String> errors = load(true);
		assertThat(errors).as("failures through PgBouncer with pool.pgbouncer.enabled=true").isEmpty();
	}

	@Test
	void withoutThePgBouncerSwitchServerPreparedStatementsBreak() throws Exception {
		List<String> errors = load(false);
		assertThat(errors)
			.as("pgjdbc prepares statements on one server connection, PgBouncer runs the next "
					+ "transaction on another")
			.isNotEmpty()
			.anyMatch((message) -> message.contains("prepared statement"));
	}

	private List<String> load(boolean pgbouncer) throws Exception {
		Databases.assumePostgres();
		assumePgBouncer();
		Databases.execute(Databases.postgres(), "CREATE DATABASE " + this.database);
		try (PgBouncer bouncer = PgBouncer.start(this.database, SERVER_POOL)) {
			ApplicationContextRunner instance = this.runner.withPropertyValues(
					"spring.datasource.url=" + bouncer.url(this.database), "pool.pgbouncer.enabled=" + pgbouncer);
			ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
			runInstances(instance, 0, new ArrayList<>(), errors);
			return List.copyOf(errors);
		}
		finally {
			Databases.execute(Databases.postgres(),
					"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + this.database + "'",
					"DROP DATABASE " + this.database);
		}
	}

	/**
	 * Nest the runners so that all instances are open at once, then load them together.
	 */
	private void runInstances(ApplicationContextRunner instance, int index, List<AssertableApplicationContext> running,
			ConcurrentLinkedQueue<String> errors) {
		if (index == INSTANCES) {
			loadTogether(running, errors);
			return;
		}
		instance.run((context) -> {
			assertThat(context).hasNotFailed();
			running.add(context);
			runInstances(instance, index + 1, running, errors);
		});
	}

	private void loadTogether(List<AssertableApplicationContext> running, ConcurrentLinkedQueue<String> errors) {
		try {
			JdbcTemplate first = running.get(0).getBean(JdbcTemplate.class);
			first.execute("CREATE TABLE IF NOT EXISTS visit (id serial PRIMARY KEY, instance int, n int)");
			Load load = null;
			for (int i = 0; i < INSTANCES; i++) {
				int instance = i;
				JdbcTemplate jdbc = running.get(i).getBean(JdbcTemplate.class);
				TransactionTemplate transaction = new TransactionTemplate(
						running.get(i).getBean(PlatformTransactionManager.class));
				Load.Request request = (caller, n) -> transaction.executeWithoutResult((status) -> {
					jdbc.update("INSERT INTO visit (instance, n) VALUES (?, ?)", instance, n);
					jdbc.queryForObject("SELECT count(*) FROM visit WHERE instance = ?", Long.class, instance);
				});
				load = (load != null) ? load.and(4, 60, request) : Load.of(4, 60, request);
			}
			errors.addAll(load.run().errors());
			int serverConnections = Integer.parseInt(Databases.query(Databases.postgres(),
					"SELECT count(*) FROM pg_stat_activity WHERE datname = '" + this.database + "'"));
			assertThat(serverConnections).as("server connections PgBouncer opened").isLessThanOrEqualTo(SERVER_POOL);
			ServerCheck check = running.get(0).getBean(ServerChecks.class).await(Duration.ofSeconds(30)).get(0);
			if (running.get(0).getEnvironment().getProperty("pool.pgbouncer.enabled", Boolean.class)) {
				assertThat(check.details().get("connectionMath").toString())
					.contains("(size + overflow) 4 x 3 instances = 12 of PgBouncer's max_client_conn 100");
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void assumePgBouncer() {
		Databases.assumeAvailable(PgBouncer.available(),
				"pgbouncer not found at " + TestEnvironment.pgBouncer() + " (Debian package pgbouncer)");
	}

}
