package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.JdbcPoolStats;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reuse rate against the real PostgreSQL: borrows served by a connection that was
 * already open, divided by borrows. Connections the pool opens ahead of demand
 * ({@code pool.size}) are not misses; a connection opened while a caller waits is.
 */
class ReuseRatePostgresTests {

	private static final int BORROWS = 10;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL,
				"spring.datasource.username=" + Databases.POSTGRES_USER);

	@Test
	void connectionsOpenedAheadOfDemandAreNotMisses() {
		Databases.assumePostgres();
		this.runner.withPropertyValues("pool.size=3", "pool.overflow=0").run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			borrow(dataSource, 1);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> dataSource.getHikariPoolMXBean().getTotalConnections() == 3);
			JdbcPoolStats stats = stats(context, dataSource);
			assertThat(stats.connectionsCreated()).isEqualTo(3);
			assertThat(stats.connectionsOpenedOnDemand()).isZero();
			assertThat(stats.reuseRate()).as("right after start-up, with three connections opened up front")
				.isEqualTo(1.0);
			borrow(dataSource, BORROWS - 1);
			assertThat(stats.acquisitions()).isEqualTo(BORROWS);
			assertThat(stats.reuseRate()).isEqualTo(1.0);
		});
	}

	@Test
	void aConnectionOpenedWhileACallerWaitsIsAMiss() {
		Databases.assumePostgres();
		this.runner.withPropertyValues("pool.size=0", "pool.overflow=1").run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			borrow(dataSource, BORROWS);
			JdbcPoolStats stats = stats(context, dataSource);
			assertThat(stats.acquisitions()).isEqualTo(BORROWS);
			assertThat(stats.connectionsOpenedOnDemand()).as("the first borrow waited for its connection").isEqualTo(1);
			assertThat(stats.reuseRate()).isEqualTo(0.9);
		});
	}

	@Test
	void noReuseRateBeforeTheFirstBorrow() {
		assertThat(new PoolMetricsTrackerFactory(() -> null).forPool(new HikariDataSource()).reuseRate()).isNaN();
	}

	private static void borrow(HikariDataSource dataSource, int times) throws Exception {
		for (int i = 0; i < times; i++) {
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
		}
	}

	private static JdbcPoolStats stats(AssertableApplicationContext context, HikariDataSource dataSource) {
		return ((ManagedHikariDataSource) dataSource).getStats();
	}

}
