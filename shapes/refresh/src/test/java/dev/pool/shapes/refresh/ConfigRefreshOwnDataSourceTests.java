package dev.pool.shapes.refresh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.properties.ConfigurationPropertiesRebinder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's own DataSource, a subclass of {@code HikariDataSource} bound to
 * {@code spring.datasource.hikari.*} as Spring Boot's documentation shows: Spring Cloud
 * leaves a {@code HikariDataSource} alone only by its exact class name, so without the
 * starter a refresh would reset and re-bind the running pool; the starter keeps it off,
 * unless the application sets {@code spring.cloud.refresh.never-refreshable} itself.
 */
@SpringBootTest(classes = { RefreshShapeApplication.class, ConfigRefreshOwnDataSourceTests.Own.class },
		properties = { "spring.datasource.hikari.pool-name=own", "spring.datasource.hikari.connection-timeout=20000",
				"pool.datasources.data-source.size=2" })
class ConfigRefreshOwnDataSourceTests {

	@Autowired
	private ConfigurableApplicationContext context;

	@Autowired
	private OwnHikariDataSource dataSource;

	@Autowired
	private ConfigurationPropertiesRebinder rebinder;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) throws Exception {
		Path directory = Files.createDirectories(Path.of("target", "shapes-refresh"));
		String file = directory.resolve("own-" + UUID.randomUUID().toString().substring(0, 8) + ".db")
			.toAbsolutePath()
			.toString();
		registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + file);
	}

	@Test
	void aRunningPoolOfTheApplicationsOwnIsNotReboundBehindItsBack() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.isValid(1)).isTrue();
		}
		Map<String, Object> changes = new HashMap<>();
		changes.put("spring.datasource.hikari.connection-timeout", "25000");
		this.context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("changes", changes));

		this.context.publishEvent(new EnvironmentChangeEvent(this.context, changes.keySet()));

		assertThat(this.rebinder.getErrors()).isEmpty();
		assertThat(this.context.getBean("dataSource")).isSameAs(this.dataSource);
		assertThat(this.dataSource.getConnectionTimeout()).isEqualTo(20000);
		assertThat(this.dataSource.getPoolName()).isEqualTo("own");
		assertThat(this.dataSource.getJdbcUrl()).startsWith("jdbc:sqlite:");
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.isValid(1)).isTrue();
		}
		assertThat(this.rebinder.getNeverRefreshable()).contains("dataSource");
	}

	@Test
	void itsOwnPoolDatasourcesKeysApplyLive() throws Exception {
		assertThat(this.dataSource.getMinimumIdle()).isEqualTo(2);
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.isValid(1)).isTrue();
		}
		Map<String, Object> changes = new HashMap<>();
		changes.put("pool.datasources.data-source.size", "3");
		this.context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("size-change", changes));

		this.context.publishEvent(new EnvironmentChangeEvent(this.context, changes.keySet()));

		assertThat(this.rebinder.getErrors()).isEmpty();
		assertThat(this.dataSource.getMinimumIdle()).isEqualTo(3);
		assertThat(this.dataSource.getHikariConfigMXBean().getMinimumIdle()).isEqualTo(3);
	}

	static class OwnHikariDataSource extends HikariDataSource {

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Own {

		@Bean
		@ConfigurationProperties("spring.datasource.hikari")
		OwnHikariDataSource dataSource(DataSourceProperties properties) {
			return properties.initializeDataSourceBuilder().type(OwnHikariDataSource.class).build();
		}

	}

}
