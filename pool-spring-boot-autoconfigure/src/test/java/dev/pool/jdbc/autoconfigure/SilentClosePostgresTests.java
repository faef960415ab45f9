package dev.pool.jdbc.autoconfigure;

import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.Load;
import dev.pool.testsupport.TcpProxy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections closed without a message, under load: a TCP proxy on 127.0.0.1 in front of
 * PostgreSQL closes every open connection silently, as a proxy or a load balancer that
 * drops its connections, or a backend killed with {@code SIGKILL}, would. The default
 * check (what the server sent) cannot see such a close on a connection used in the last
 * moments; {@code pool.pre-ping-check=round-trip} does. HikariCP's own check of
 * connections unused for 500 ms is pushed out to a minute, so that only the starter's
 * check decides.
 */
class SilentClosePostgresTests {

	private static final Log logger = LogFactory.getLog(SilentClosePostgresTests.class);

	private static final int SIZE = 4;

	/**
	 * What each caller does between two queries, outside the connection: long beside the
	 * fault, so that the connections closed are still in the pool, used a moment ago,
	 * when the fault is complete.
	 */
	private static final long THINK_NANOS = 20_000_000;

	private static final String BYPASS_WINDOW = "com.zaxxer.hikari.aliveBypassWindowMs";

	private final String applicationName = "pool-silent-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.username=" + Databases.POSTGRES_USER, "pool.size=" + SIZE,
				"pool.overflow=0", "pool.acquire-timeout=10s");

	@AfterEach
	void noBypassWindowLeftBehind() {
		System.clearProperty(BYPASS_WINDOW);
	}

	/**
	 * The default check finds none of the closed connections dead: each one fails the
	 * next statement run on it (some in requests that started after the close, some in
	 * requests that were starting while the proxy was closing them), and HikariCP evicts
	 * it.
	 */
	@Test
	void withTheDefaultCheckAConnectionClosedSilentlyRightAfterUseReachesTheCaller() throws Exception {
		Databases.assumePostgres();
		System.setProperty(BYPASS_WINDOW, "60000");
		Outcome outcome = closeSilentlyMidLoad();
		assertThat(outcome.deadOnBorrow()).as("connections the check found dead (%s)", outcome.result()).isZero();
		assertThat(outcome.result().errors()).as("dead connections that reached a caller (%s)", outcome.result())
			.isNotEmpty()
			.hasSizeLessThanOrEqualTo(SIZE)
			.allMatch((message) -> message.contains("I/O error"));
	}

	@Test
	void withRoundTripNoConnectionClosedSilentlyReachesTheCaller() throws Exception {
		Databases.assumePostgres();
		System.setProperty(BYPASS_WINDOW, "60000");
		Load.Result result = closeSilentlyMidLoad("pool.pre-ping-check=round-trip").result();
		assertThat(result.afterFault()).as("requests that started after the close").isNotEmpty();
		assertThat(result.afterFault()).as("failures among requests that started after the close (%s)", result)
			.allMatch((outcome) -> outcome.failure() == null);
	}

	@Test
	void anUnknownCheckFailsStartUpNamingTheKeyAndTheValue() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:sqlite::memory:", "pool.pre-ping-check=bytes")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'pool.pre-ping-check'")
				.hasRootCauseMessage("No enum constant dev.pool.jdbc.PrePingCheck.bytes"));
	}

	private Outcome closeSilentlyMidLoad(String... properties) throws Exception {
		try (TcpProxy proxy = new TcpProxy(Databases.POSTGRES_PORT)) {
			Load.Result[] result = new Load.Result[1];
			long[] deadOnBorrow = new long[1];
			this.runner
				.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:" + proxy.getPort()
						+ "/test?ApplicationName=" + this.applicationName)
				.withPropertyValues(properties)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					ManagedHikariDataSource dataSource = context.getBean(ManagedHikariDataSource.class);
					JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
					long start = System.nanoTime();
					result[0] = Load.of(SIZE, 100, () -> {
						jdbc.queryForObject("SELECT 1", Integer.class);
						LockSupport.parkNanos(THINK_NANOS);
						return null;
					}).faultAfterAQuarter(() -> {
						proxy.closeConnectionsSilently();
						return null;
					}).run();
					long millis = (System.nanoTime() - start) / 1_000_000;
					deadOnBorrow[0] = dataSource.getDeadOnBorrowCount();
					logger.info("pre-ping check " + dataSource.getPrePingCheck() + ": " + result[0] + "; "
							+ result[0].afterFault().stream().filter((outcome) -> outcome.failure() != null).count()
							+ " failed after the close; " + dataSource.getDeadOnBorrowCount() + " found dead; "
							+ result[0].outcomes().size() + " requests in " + millis + " ms");
				});
			return new Outcome(result[0], deadOnBorrow[0]);
		}
	}

	private record Outcome(Load.Result result, long deadOnBorrow) {

	}

}
