package dev.pool.jdbc.autoconfigure;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@code spring.datasource.hikari.*} keys that overlap {@code pool.*}, as the user
 * set them (null when unset). Read with Spring Boot's {@link Binder}, so every relaxed
 * form counts (a YAML key, {@code SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE}, ...).
 *
 * @param minimumIdle {@code spring.datasource.hikari.minimum-idle}
 * @param maximumPoolSize {@code spring.datasource.hikari.maximum-pool-size}
 * @param idleTimeout {@code spring.datasource.hikari.idle-timeout} in milliseconds
 * @param maxLifetime {@code spring.datasource.hikari.max-lifetime} in milliseconds
 * @param connectionTimeout {@code spring.datasource.hikari.connection-timeout} in
 * milliseconds
 * @param leakDetectionThreshold {@code spring.datasource.hikari.leak-detection-threshold}
 * in milliseconds
 */
record HikariKeys(Integer minimumIdle, Integer maximumPoolSize, Long idleTimeout, Long maxLifetime,
		Long connectionTimeout, Long leakDetectionThreshold) {

	static final String PREFIX = "spring.datasource.hikari.";

	static final String MINIMUM_IDLE = PREFIX + "minimum-idle";

	static final String MAXIMUM_POOL_SIZE = PREFIX + "maximum-pool-size";

	static final String IDLE_TIMEOUT = PREFIX + "idle-timeout";

	static final String MAX_LIFETIME = PREFIX + "max-lifetime";

	static final String CONNECTION_TIMEOUT = PREFIX + "connection-timeout";

	static final String LEAK_DETECTION_THRESHOLD = PREFIX + "leak-detection-threshold";

	static HikariKeys from(Environment environment) {
		Binder binder = Binder.get(environment);
		return new HikariKeys(binder.bind(MINIMUM_IDLE, Integer.class).orElse(null),
				binder.bind(MAXIMUM_POOL_SIZE, Integer.class).orElse(null),
				binder.bind(IDLE_TIMEOUT, Long.class).orElse(null), binder.bind(MAX_LIFETIME, Long.class).orElse(null),
				binder.bind(CONNECTION_TIMEOUT, Long.class).orElse(null),
				binder.bind(LEAK_DETECTION_THRESHOLD, Long.class).orElse(null));
	}

}
