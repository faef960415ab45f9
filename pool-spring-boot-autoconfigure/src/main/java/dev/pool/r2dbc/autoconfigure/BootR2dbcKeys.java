package dev.pool.r2dbc.autoconfigure;

import java.time.Duration;

import io.r2dbc.spi.ValidationDepth;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@code spring.r2dbc.pool.*} keys that overlap {@code pool.*}, as the user set them
 * (null when unset). Read with Spring Boot's {@link Binder}, so every relaxed form
 * counts, and with Spring Boot's units (a bare number of a duration is milliseconds).
 *
 * @param initialSize {@code spring.r2dbc.pool.initial-size}
 * @param minIdle {@code spring.r2dbc.pool.min-idle}
 * @param maxSize {@code spring.r2dbc.pool.max-size}
 * @param maxIdleTime {@code spring.r2dbc.pool.max-idle-time}
 * @param maxLifeTime {@code spring.r2dbc.pool.max-life-time}
 * @param maxAcquireTime {@code spring.r2dbc.pool.max-acquire-time}
 * @param validationDepth {@code spring.r2dbc.pool.validation-depth}
 * @param maxValidationTime {@code spring.r2dbc.pool.max-validation-time}
 * @param maxCreateConnectionTime {@code spring.r2dbc.pool.max-create-connection-time}
 */
record BootR2dbcKeys(Integer initialSize, Integer minIdle, Integer maxSize, Duration maxIdleTime, Duration maxLifeTime,
		Duration maxAcquireTime, ValidationDepth validationDepth, Duration maxValidationTime,
		Duration maxCreateConnectionTime) {

	static final String PREFIX = "spring.r2dbc.pool.";

	static final String INITIAL_SIZE = PREFIX + "initial-size";

	static final String MIN_IDLE = PREFIX + "min-idle";

	static final String MAX_SIZE = PREFIX + "max-size";

	static final String MAX_IDLE_TIME = PREFIX + "max-idle-time";

	static final String MAX_LIFE_TIME = PREFIX + "max-life-time";

	static final String MAX_ACQUIRE_TIME = PREFIX + "max-acquire-time";

	static final String VALIDATION_DEPTH = PREFIX + "validation-depth";

	static final String MAX_VALIDATION_TIME = PREFIX + "max-validation-time";

	static final String MAX_CREATE_CONNECTION_TIME = PREFIX + "max-create-connection-time";

	static final BootR2dbcKeys NONE = new BootR2dbcKeys(null, null, null, null, null, null, null, null, null);

	static BootR2dbcKeys from(Environment environment) {
		Binder binder = Binder.get(environment);
		return new BootR2dbcKeys(binder.bind(INITIAL_SIZE, Integer.class).orElse(null),
				binder.bind(MIN_IDLE, Integer.class).orElse(null), binder.bind(MAX_SIZE, Integer.class).orElse(null),
				binder.bind(MAX_IDLE_TIME, Duration.class).orElse(null),
				binder.bind(MAX_LIFE_TIME, Duration.class).orElse(null),
				binder.bind(MAX_ACQUIRE_TIME, Duration.class).orElse(null),
				binder.bind(VALIDATION_DEPTH, ValidationDepth.class).orElse(null),
				binder.bind(MAX_VALIDATION_TIME, Duration.class).orElse(null),
				binder.bind(MAX_CREATE_CONNECTION_TIME, Duration.class).orElse(null));
	}

}
