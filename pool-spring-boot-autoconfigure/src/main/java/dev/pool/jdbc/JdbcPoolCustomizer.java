package dev.pool.jdbc;

import com.zaxxer.hikari.HikariConfig;

/**
 * Callback to customize the {@link HikariConfig} of a JDBC pool after the {@code pool.*}
 * keys were applied and before the pool starts. Beans of this type are applied in order
 * to every pool the starter makes or tunes: Spring Boot's DataSource, the read pool
 * beside it (SQLite readers or {@code pool.read.url}), and a {@code HikariDataSource}
 * bean of the application's own that has not started. The {@code pools} endpoint shows a
 * value a customizer changed with the source {@code customizer}.
 */
@FunctionalInterface
public interface JdbcPoolCustomizer {

	/**
	 * Customize the configuration of a pool.
	 * @param role the pool's role: {@code primary}, {@code read}, or for a SQLite file
	 * {@code writer} and {@code reader}
	 * @param config the configuration to customize (the pool itself, not started)
	 */
	void customize(String role, HikariConfig config);

}
