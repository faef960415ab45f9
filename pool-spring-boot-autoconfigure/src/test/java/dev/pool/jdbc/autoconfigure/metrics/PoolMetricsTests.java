package dev.pool.jdbc.autoconfigure.metrics;

import java.nio.file.Path;
import java.sql.Connection;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.JdbcPoolStats;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code pool.jdbc.*} meters and HikariCP's own {@code hikaricp.*} meters, for both
 * pools of a SQLite file.
 */
class PoolMetricsTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				JdbcPoolMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("metrics.db"), "pool.size=1",
				"pool.overflow=1");

	@Test
	void poolMetersCountAcquisitionsAndReuseAndHikariMetersStayOn() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(JdbcPoolMeterBinder.class).bindTo(registry);
			DataSource dataSource = context.getBean(DataSource.class);
			for (int i = 0; i < 20; i++) {
				try (Connection connection = dataSource.getConnection()) {
					connection.createStatement().execute("SELECT 1");
				}
			}
			HikariDataSource writerPool = ReadWriteDataSource.find(dataSource).getWritePool();
			JdbcPoolStats stats = context.getBean(JdbcPools.class).describe(writerPool).get(0).stats();
			assertThat(stats.acquisitions()).isGreaterThanOrEqualTo(20);
			assertThat(stats.connectionsCreated()).isEqualTo(1);
			assertThat(registry.get("pool.jdbc.reuse.ratio").tag("pool", "writer").gauge().value())
				.as("the writer's one connection was opened before the first borrow waited for it")
				.isEqualTo(1.0);
			assertThat(registry.get("pool.jdbc.utilisation").tag("pool", "writer").gauge().value()).isZero();
			assertThat(registry.get("pool.jdbc.waits").tag("pool", "writer").functionCounter().count()).isZero();
			String writer = writerPool.getPoolName();
			assertThat(writer).as("HikariCP's own name, as Spring Boot has it").matches("HikariPool-\\d+");
			assertThat(registry.get("pool.jdbc.waits").tag("pool", "writer").functionCounter().getId().getTag("name"))
				.isEqualTo(writer);
			assertThat(registry.find("pool.jdbc.acquisitions").meters())
				.as("what hikaricp.* has is not repeated: acquisitions, timeouts, connections opened")
				.isEmpty();
			assertThat(registry.find("pool.jdbc.timeouts").meters()).isEmpty();
			assertThat(registry.find("pool.jdbc.connections.opened").meters()).isEmpty();
			assertThat(registry.get("hikaricp.connections.timeout").tag("pool", writer).counter().count()).isZero();
			assertThat(registry.find("hikaricp.connections.max").tag("pool", writer).gauge()).isNotNull();
			assertThat(registry.get("hikaricp.connections.acquire").tag("pool", writer).timer().count())
				.isGreaterThanOrEqualTo(20);
		});
	}

	@Test
	void disabledStarterHasNoPoolMeters() {
		this.runner.withPropertyValues("pool.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JdbcPoolMeterBinder.class));
	}

}
