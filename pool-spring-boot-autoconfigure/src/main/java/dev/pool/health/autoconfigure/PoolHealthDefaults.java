package dev.pool.health.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Turns Spring Boot's {@code db} health indicator off by default while the starter shows
 * the JDBC pools in its {@code pool} component: Boot's indicator borrows a connection from
 * the pool, so under load it waits behind the callers for up to the acquire timeout and then
 * reports DOWN. The starter's {@code pool.jdbc} component answers without queueing. It
 * stays on when the starter, or its health component, is off, or when the DataSource is not
 * HikariCP. A {@code management.health.db.enabled} the user set anywhere wins, as this
 * default has the lowest precedence.
 */
class PoolHealthDefaults implements EnvironmentPostProcessor {

	static final String SOURCE = "poolHealthDefaults";

	private static final String HIKARI = "com.zaxxer.hikari.HikariDataSource";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("pool.enabled", Boolean.class, true)
				|| !environment.getProperty("management.health.pool.enabled", Boolean.class, true)
				|| environment.containsProperty("management.health.db.enabled") || !hikariDataSource(environment)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(SOURCE, Map.of("management.health.db.enabled", "false")));
	}

	/**
	 * Whether Spring Boot will make a HikariCP DataSource, the only kind {@code pool.jdbc}
	 * shows.
	 */
	private static boolean hikariDataSource(ConfigurableEnvironment environment) {
		String type = environment.getProperty("spring.datasource.type");
		return ClassUtils.isPresent(HIKARI, PoolHealthDefaults.class.getClassLoader())
				&& (type == null || type.equals(HIKARI));
	}

}
