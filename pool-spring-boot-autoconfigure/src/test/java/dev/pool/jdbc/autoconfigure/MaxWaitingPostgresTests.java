package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.ConnectionWaitLimitException;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code pool.max-waiting} against the real PostgreSQL: with every connection held, that
 * many callers wait, and the next is refused at once instead of queueing for the acquire
 * timeout.
 */
class MaxWaitingPostgresTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL,
				"spring.datasource.username=" + Databases.POSTGRES_USER, "pool.size=1", "pool.overflow=0",
				"pool.acquire-timeout=60s");

	@Test
	void theCallersAllowedWaitAndTheNextIsRefusedAtOnce() {
		Databases.assumePostgres();
		this.runner.withPropertyValues("pool.max-waiting=2").run((context) -> {
			ManagedHikariDataSource dataSource = context.getBean(ManagedHikariDataSource.class);
			assertThat(dataSource.getMaxWaiting()).isEqualTo(2);
			ExecutorService callers = Executors.newFixedThreadPool(2);
			List<Future<Boolean>> waiting = new ArrayList<>();
			try {
				try (Connection held = dataSource.getConnection()) {
					for (int i = 0; i < 2; i++) {
						waiting.add(callers.submit(() -> {
							try (Connection connection = dataSource.getConnection()) {
								return connection.isValid(1);
							}
						}));
					}
					await().atMost(Duration.ofSeconds(30))
						.until(() -> dataSource.getHikariPoolMXBean().getThreadsAwaitingConnection() == 2);
					assertThatExceptionOfType(ConnectionWaitLimitException.class).isThrownBy(dataSource::getConnection)
						.withMessageContaining("pool.max-waiting=2")
						.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08001"));
					assertThat(dataSource.getHikariPoolMXBean().getThreadsAwaitingConnection())
						.as("the refused caller did not queue, and the two others still wait")
						.isEqualTo(2);
					assertThat(waiting).noneMatch(Future::isDone);
				}
				for (Future<Boolean> caller : waiting) {
					assertThat(caller.get(30, TimeUnit.SECONDS)).as("a waiting caller got the connection").isTrue();
				}
				assertThat(dataSource.getRefusedWaitingCount()).isEqualTo(1);
				assertThat(dataSource.getStats().timeouts()).as("nobody timed out").isZero();
			}
			finally {
				callers.shutdownNow();
			}
		});
	}

	@Test
	void zeroRefusesAtOnceWhenEveryConnectionIsInUseOnly() {
		Databases.assumePostgres();
		this.runner.withPropertyValues("pool.max-waiting=0").run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			try (Connection first = dataSource.getConnection()) {
				assertThatExceptionOfType(ConnectionWaitLimitException.class).isThrownBy(dataSource::getConnection)
					.withMessageContaining("pool.max-waiting=0");
			}
			try (Connection again = dataSource.getConnection()) {
				assertThat(again.isValid(1)).as("a free connection is handed out").isTrue();
			}
		});
	}

	@Test
	void unsetMeansEveryCallerMayWait() {
		this.runner
			.run((context) -> assertThat(context.getBean(ManagedHikariDataSource.class).getMaxWaiting()).isEqualTo(-1));
	}

	@Test
	void aNegativeValueStopsStartUpNamingTheKey() {
		this.runner.withPropertyValues("pool.max-waiting=-3").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("pool.max-waiting")
				.hasMessageContaining("-3")
				.hasMessageContaining("0 or more");
		});
	}

}
