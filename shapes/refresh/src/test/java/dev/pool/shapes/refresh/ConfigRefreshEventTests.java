package dev.pool.shapes.refresh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.ConnectionWaitLimitException;
import dev.pool.jdbc.JdbcPoolCustomizer;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.ReadWriteDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.properties.ConfigurationPropertiesRebinder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A service on a SQLite file (one writer connection and a reader pool) whose
 * configuration changes in a property source of its own, then an
 * {@code EnvironmentChangeEvent} is published, as a config server client or a Kubernetes
 * config map reload does.
 */
@SpringBootTest(classes = { RefreshShapeApplication.class, ConfigRefreshEventTests.Customizer.class },
		properties = { "pool.size=3", "pool.overflow=1" })
@ExtendWith(OutputCaptureExtension.class)
class ConfigRefreshEventTests {

	@Autowired
	private ConfigurableApplicationContext context;

	@Autowired
	private ReadWriteDataSource dataSource;

	@Autowired
	private JdbcPools pools;

	@Autowired
	private ConfigurationPropertiesRebinder rebinder;

	private final Map<String, Object> changes = new HashMap<>();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) throws Exception {
		Path directory = Files.createDirectories(Path.of("target", "shapes-refresh"));
		String file = directory.resolve("event-" + UUID.randomUUID().toString().substring(0, 8) + ".db")
			.toAbsolutePath()
			.toString();
		registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + file);
	}

	@AfterEach
	void undo() {
		this.context.getEnvironment().getPropertySources().remove("changes");
		refresh();
	}

	@Test
	void livePoolKeysApplyToEachPoolByItsRole(CapturedOutput output) throws Exception {
		HikariDataSource writer = this.dataSource.getWritePool();
		HikariDataSource reader = this.dataSource.getReadPool();
		start(writer, reader);
		int pools = this.pools.describe().size();

		change("pool.size", "5");
		change("pool.acquire-timeout", "7s");
		change("pool.max-waiting", "2");
		refresh();

		// SQLite's writer keeps its one connection; the readers take the new size.
		assertThat(writer.getMinimumIdle()).isEqualTo(1);
		assertThat(writer.getMaximumPoolSize()).isEqualTo(1);
		assertThat(reader.getMinimumIdle()).isEqualTo(5);
		assertThat(reader.getMaximumPoolSize()).isEqualTo(6);
		assertThat(writer.getConnectionTimeout()).isEqualTo(7000);
		assertThat(reader.getConnectionTimeout()).isEqualTo(7000);
		assertThat(((ManagedHikariDataSource) reader).getMaxWaiting()).isEqualTo(2);
		assertThat(this.pools.describe()).hasSize(pools);
		assertThat(this.context.getBean("dataSource")).isSameAs(this.dataSource);
		assertThat(output).containsOnlyOnce("pool: config refresh applied to the running JDBC pools: ")
			.contains(
					"(DataSource 'dataSource', writer): pool.acquire-timeout 30s \u2192 7s, pool.max-waiting unset \u2192 2")
			.contains(
					"(DataSource 'dataSource', reader): pool.size 3 \u2192 5, pool.acquire-timeout 30s \u2192 7s, pool.max-waiting unset \u2192 2");
		try (Connection connection = this.dataSource.getConnection()) {
			connection.createStatement().execute("create table if not exists note (id integer)");
		}
	}

	@Test
	void aNewWaitingLimitRefusesTheNextCallerOnTheRunningPool() throws Exception {
		HikariDataSource writer = this.dataSource.getWritePool();
		start(writer);

		change("pool.max-waiting", "0");
		refresh();

		try (Connection held = writer.getConnection()) {
			assertThatExceptionOfType(ConnectionWaitLimitException.class).isThrownBy(writer::getConnection);
		}
	}

	@Test
	void aCustomizersValueStaysWhenItsKeyDidNotChange() throws Exception {
		HikariDataSource reader = this.dataSource.getReadPool();
		start(this.dataSource.getWritePool(), reader);
		assertThat(reader.getLeakDetectionThreshold()).isEqualTo(Customizer.LEAK_DETECTION.toMillis());

		change("pool.size", "4");
		refresh();

		assertThat(reader.getMinimumIdle()).isEqualTo(4);
		assertThat(reader.getLeakDetectionThreshold()).isEqualTo(Customizer.LEAK_DETECTION.toMillis());
	}

	@Test
	void aBadValueIsAWarningAndChangesNothing(CapturedOutput output) throws Exception {
		HikariDataSource reader = this.dataSource.getReadPool();
		start(this.dataSource.getWritePool(), reader);

		change("pool.size", "-1");
		refresh();

		assertThat(reader.getMinimumIdle()).isEqualTo(3);
		assertThat(reader.getMaximumPoolSize()).isEqualTo(4);
		assertThat(output).contains("pool: config refresh not applied to the JDBC pools (they keep their settings)")
			.contains("pool.size");
	}

	@Test
	void springCloudNeverRebindsThePoolsAndKeepsTheApplicationsOwnList() {
		assertThat(this.rebinder.getNeverRefreshable()).contains("com.zaxxer.hikari.HikariDataSource",
				ManagedHikariDataSource.class.getName(), ReadWriteDataSource.class.getName());

		change("spring.cloud.refresh.never-refreshable", "com.example.Cache, com.example.Client");
		refresh();

		assertThat(this.rebinder.getNeverRefreshable()).containsExactlyInAnyOrder("com.example.Cache",
				"com.example.Client", ManagedHikariDataSource.class.getName(), ReadWriteDataSource.class.getName());
	}

	private static void start(HikariDataSource... pools) throws Exception {
		for (HikariDataSource pool : pools) {
			try (Connection connection = pool.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
			assertThat(pool.getHikariPoolMXBean()).isNotNull();
		}
	}

	private void change(String key, String value) {
		if (!this.context.getEnvironment().getPropertySources().contains("changes")) {
			this.context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("changes", this.changes));
		}
		this.changes.put(key, value);
	}

	private void refresh() {
		this.context.publishEvent(new EnvironmentChangeEvent(this.context, Set.copyOf(this.changes.keySet())));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Customizer {

		static final Duration LEAK_DETECTION = Duration.ofSeconds(40);

		@Bean
		JdbcPoolCustomizer leakDetection() {
			return (role, pool) -> pool.setLeakDetectionThreshold(LEAK_DETECTION.toMillis());
		}

	}

}
