package dev.pool.jdbc.autoconfigure;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NeverRefreshablePropertySource}: Spring Cloud reads
 * {@code spring.cloud.refresh.never-refreshable} with {@code Environment.getProperty}.
 */
class NeverRefreshablePropertySourceTests {

	private static final String STARTER = "dev.pool.jdbc.ManagedHikariDataSource,dev.pool.jdbc.ReadWriteDataSource";

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void withoutAValueOfTheApplicationsSpringCloudsDefaultIsExtendedToEveryHikariPool() {
		install(Set.of("ordersDataSource"));
		assertThat(value()).isEqualTo("com.zaxxer.hikari.HikariDataSource,ordersDataSource," + STARTER);
	}

	@Test
	void theApplicationsOwnListIsKeptAndTheStartersClassesAdded() {
		add(Map.of(NeverRefreshablePropertySource.KEY, "com.example.Cache, com.example.Client"));
		install(Set.of("ordersDataSource"));
		assertThat(value()).isEqualTo("com.example.Cache,com.example.Client," + STARTER);
	}

	@Test
	void anEmptyListOfTheApplicationsKeepsOnlyTheStartersClasses() {
		add(Map.of(NeverRefreshablePropertySource.KEY, ""));
		install(Set.of("ordersDataSource"));
		assertThat(value()).isEqualTo(STARTER);
	}

	@Test
	void aYamlListAndAnEnvironmentVariableAreTheApplicationsValueToo() {
		add(Map.of(NeverRefreshablePropertySource.KEY + "[0]", "com.example.Cache"));
		install(Set.of());
		assertThat(value()).isEqualTo("com.example.Cache," + STARTER);
		this.environment.getPropertySources().remove("application");
		this.environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("SPRING_CLOUD_REFRESH_NEVERREFRESHABLE", "com.example.Client")));
		assertThat(value()).isEqualTo("com.example.Client," + STARTER);
	}

	@Test
	void aChangeOfTheApplicationsValueIsSeen() {
		add(Map.of(NeverRefreshablePropertySource.KEY, "com.example.Cache"));
		install(Set.of());
		this.environment.getPropertySources()
			.replace("application", new MapPropertySource("application",
					Map.of(NeverRefreshablePropertySource.KEY, "com.example.Client")));
		assertThat(value()).isEqualTo("com.example.Client," + STARTER);
	}

	@Test
	void installingAgainPutsItInFrontOfASourceAddedFirstSince() {
		NeverRefreshablePropertySource source = install(Set.of());
		this.environment.getPropertySources()
			.addFirst(
					new MapPropertySource("manager", Map.of(NeverRefreshablePropertySource.KEY, "com.example.Cache")));
		source.install();
		assertThat(this.environment.getPropertySources().iterator().next()).isSameAs(source);
		assertThat(value()).isEqualTo("com.example.Cache," + STARTER);
	}

	private void add(Map<String, Object> properties) {
		this.environment.getPropertySources().addLast(new MapPropertySource("application", properties));
	}

	private NeverRefreshablePropertySource install(Set<String> hikariBeanNames) {
		ConfigurationPropertySources.attach(this.environment);
		NeverRefreshablePropertySource source = new NeverRefreshablePropertySource(this.environment,
				() -> hikariBeanNames);
		source.install();
		return source;
	}

	private String value() {
		return this.environment.getProperty(NeverRefreshablePropertySource.KEY, "com.zaxxer.hikari.HikariDataSource");
	}

}
