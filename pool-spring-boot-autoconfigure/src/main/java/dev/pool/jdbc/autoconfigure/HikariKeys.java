package dev.pool.jdbc.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@code spring.datasource.hikari.*} keys that overlap {@code pool.*} (each
 * {@link JdbcPoolKey} names its own), as the user set them. Read with Spring Boot's
 * {@link Binder}, so every relaxed form counts (a YAML key,
 * {@code SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE}, ...).
 *
 * @param values the bound values by key without {@code spring.datasource.hikari.}, only
 * those the user set
 */
record HikariKeys(Map<String, Object> values) {

	static final String PREFIX = "spring.datasource.hikari.";

	/** No Hikari key set. */
	static final HikariKeys NONE = new HikariKeys(Map.of());

	HikariKeys {
		values = Map.copyOf(values);
	}

	/**
	 * The value the user set for a key.
	 * @param key the key without {@code spring.datasource.hikari.}
	 * @return the bound value, or null when not set
	 */
	Object get(String key) {
		return this.values.get(key);
	}

	static HikariKeys from(Environment environment) {
		Binder binder = Binder.get(environment);
		Map<String, Object> values = new LinkedHashMap<>();
		for (JdbcPoolKey<?> key : JdbcPoolKey.ALL) {
			if (key.hikariKey() != null) {
				binder.bind(PREFIX + key.hikariKey(), key.hikariType())
					.ifBound((value) -> values.put(key.hikariKey(), value));
			}
		}
		return new HikariKeys(values);
	}

}
