package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code pool.overflow} against the real PostgreSQL on 127.0.0.1: a burst opens exactly
 * {@code size + overflow} connections, and the pool shrinks back to {@code size} once the
 * overflow connections have been idle for {@code overflow-idle-timeout}. (HikariCP's
 * housekeeper runs every second in tests, see the surefire configuration.)
 */
class OverflowPostgresTests {

	private static final int SIZE = 2;

	private static final int OVERFLOW = 3;

	private final String applicationName = "pool-overflow-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues(
				"spring.datasource.url=" + Databases.POSTGRES_URL + "?ApplicationName=" + this.applicationName,
				"spring.datasource.username=" + Databases.POSTGRES_USER, "pool.size=" + SIZE,
				"pool.overflow=" + OVERFLOW, "pool.overflow-idle-timeout=10s", "pool.acquire-timeout=3s");

	@Test
	void burstOpensSizePlusOverflowAndShrinksBackToSize() throws Exception {
		Databases.assumePostgres();
		this.runner.run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			int holders = SIZE + OVERFLOW;
			ExecutorService executor = Executors.newFixedThreadPool(holders);
			CountDownLatch allHeld = new CountDownLatch(holders);
			CountDownLatch release = new CountDownLatch(1);
			try {
				List<Future<?>> burst = new ArrayList<>();
				for (int i = 0; i < holders; i++) {
					burst.add(executor.submit(() -> {
						try (Connection connection = dataSource.getConnection()) {
							connection.createStatement().execute("SELECT 1");
							allHeld.countDown();
							release.await(30, TimeUnit.SECONDS);
						}
						return null;
					}));
				}
				assertThat(allHeld.await(30, TimeUnit.SECONDS)).as("all holders got a connection").isTrue();
				HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
				assertThat(pool.getTotalConnections()).isEqualTo(holders);
				assertThat(Databases.postgresBackends(this.applicationName)).isEqualTo(holders);
				assertThatExceptionOfType(SQLTransientConnectionException.class)
					.as("one more caller than size + overflow waits acquire-timeout and gets a clear error")
					.isThrownBy(() -> dataSource.getConnection().close());
				release.countDown();
				for (Future<?> holder : burst) {
					holder.get(30, TimeUnit.SECONDS);
				}
				assertThat(pool.getTotalConnections()).as("overflow connections stay while idle less than 10s")
					.isEqualTo(holders);
				await().atMost(Duration.ofSeconds(40))
					.pollInterval(Duration.ofMillis(250))
					.untilAsserted(() -> assertThat(pool.getTotalConnections()).isEqualTo(SIZE));
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(Databases.postgresBackends(this.applicationName)).isEqualTo(SIZE));
			}
			finally {
				release.countDown();
				executor.shutdownNow();
			}
		});
	}

}
