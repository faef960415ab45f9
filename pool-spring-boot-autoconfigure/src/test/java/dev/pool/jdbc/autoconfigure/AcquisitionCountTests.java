package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.JdbcPoolStats;
import dev.pool.jdbc.ManagedHikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.CountingMode;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the acquisitions of a pool are counted: by HikariCP's own
 * {@code hikaricp.connections.acquire} timer when the registry counts from the start
 * (then a borrow costs the starter nothing more), by the starter otherwise. The count is
 * the same.
 */
class AcquisitionCountTests {

	private static final int BORROWS = 25;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite::memory:");
	}

	@Test
	void aCumulativeRegistryCountsTheAcquisitions() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		runner().withBean(MeterRegistry.class, () -> registry).run((context) -> {
			JdbcPoolRecorder stats = borrowThenStats(context);
			assertThat(stats.isAcquisitionCountedElsewhere()).isTrue();
			assertThat(stats.acquisitions()).isEqualTo(acquireTimer(registry, context).count())
				.isGreaterThanOrEqualTo(BORROWS);
		});
	}

	@Test
	void aCompositeWithACumulativeChildCountsTheAcquisitions() {
		CompositeMeterRegistry registry = new CompositeMeterRegistry();
		registry.add(new SimpleMeterRegistry(stepConfig(), io.micrometer.core.instrument.Clock.SYSTEM));
		registry.add(new SimpleMeterRegistry());
		runner().withBean(MeterRegistry.class, () -> registry).run((context) -> {
			JdbcPoolRecorder stats = borrowThenStats(context);
			assertThat(stats.isAcquisitionCountedElsewhere()).isTrue();
			assertThat(stats.acquisitions()).isGreaterThanOrEqualTo(BORROWS);
		});
	}

	@Test
	void aRegistryThatCountsPerStepLeavesTheCountToTheStarter() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry(stepConfig(),
				io.micrometer.core.instrument.Clock.SYSTEM);
		runner().withBean(MeterRegistry.class, () -> registry).run((context) -> {
			JdbcPoolRecorder stats = borrowThenStats(context);
			assertThat(stats.isAcquisitionCountedElsewhere()).isFalse();
			assertThat(acquireTimer(registry, context)).as("HikariCP's timer is still there").isNotNull();
			assertThat(stats.acquisitions()).isGreaterThanOrEqualTo(BORROWS);
		});
	}

	@Test
	void withoutARegistryTheStarterCounts() {
		runner().run((context) -> {
			JdbcPoolRecorder stats = borrowThenStats(context);
			assertThat(stats.isAcquisitionCountedElsewhere()).isFalse();
			assertThat(stats.acquisitions()).isGreaterThanOrEqualTo(BORROWS);
		});
	}

	private static JdbcPoolRecorder borrowThenStats(AssertableApplicationContext context) throws Exception {
		assertThat(context).hasNotFailed();
		HikariDataSource dataSource = context.getBean(HikariDataSource.class);
		for (int i = 0; i < BORROWS; i++) {
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
		}
		JdbcPoolStats stats = ((ManagedHikariDataSource) dataSource).getStats();
		assertThat(stats).as("the pool's own statistics").isInstanceOf(JdbcPoolRecorder.class);
		return (JdbcPoolRecorder) stats;
	}

	private static Timer acquireTimer(MeterRegistry registry, AssertableApplicationContext context) {
		String pool = context.getBean(HikariDataSource.class).getPoolName();
		return registry.find(MicrometerTracking.ACQUIRE_TIMER).tag("pool", pool).timer();
	}

	private static SimpleConfig stepConfig() {
		return new SimpleConfig() {

			@Override
			public String get(String key) {
				return null;
			}

			@Override
			public CountingMode mode() {
				return CountingMode.STEP;
			}

		};
	}

}
