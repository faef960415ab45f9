package dev.pool.jdbc.autoconfigure.metrics;

import java.nio.file.Path;
import java.sql.Connection;

import javax.sql.DataSource;

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
			double acquisitions = registry.get("pool.jdbc.acquisitions")
				.tag("pool", "writer")
				.functionCounter()
				.count();
			double opened = registry.get("pool.jdbc.connections.opened")
				.tag("pool", "writer")
				.functionCounter()
				.count();
			assertThat(acquisitions).isGreaterThanOrEqualTo(20);
			assertThat(opened).isEqualTo(1);
			assertThat(registry.get("pool.jdbc.reuse.ratio").tag("pool", "writer").gauge().value())
				.as("the writer's one connection was opened before the first borrow waited for it")
				.isEqualTo(1.0);
			assertThat(registry.get("pool.jdbc.utilisation").tag("pool", "writer").gauge().value()).isZero();
			assertThat(registry.get("pool.jdbc.timeouts").tag("pool", "reader").functionCounter().count()).isZero();
			String writer = ReadWriteDataSource.find(dataSource).getWritePool().getPoolName();
			assertThat(writer).as("HikariCP's own name, as Spring Boot has it").matches("HikariPool-\\d+");
			assertThat(registry.get("pool.jdbc.acquisitions")
				.tag("pool", "writer")
				.functionCounter()
				.getId()
				.getTag("name")).isEqualTo(writer);
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
