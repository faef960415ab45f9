package dev.pool.health.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns Spring Boot's {@code db} health indicator off by default while the starter is on:
 * it borrows a connection from the pool, so under load it waits behind the callers for up to
 * the acquire timeout and then reports DOWN. The starter's {@code pool.jdbc} component
 * answers without queueing. A {@code management.health.db.enabled} the user set anywhere
 * wins, as this default has the lowest precedence.
 */
class PoolHealthDefaults implements EnvironmentPostProcessor {

	static final String SOURCE = "poolHealthDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("pool.enabled", Boolean.class, true)
				|| environment.containsProperty("management.health.db.enabled")) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(SOURCE, Map.of("management.health.db.enabled", "false")));
	}

}
