package dev.pool.jdbc;

import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.Setting;
import org.jspecify.annotations.Nullable;

/**
 * One JDBC pool as health, the meters and the {@code pools} endpoint show it: the
 * settings it runs with, each with its source, and what it has done since it started.
 *
 * @param beanName the name of the DataSource bean the pool belongs to, null when unknown
 * @param role the pool's role: {@code primary}, {@code read}, or for a SQLite file
 * {@code writer} and {@code reader}
 * @param poolName HikariCP's pool name (the {@code pool} tag of the {@code hikaricp.*}
 * meters)
 * @param url the JDBC URL with credentials masked
 * @param username the login user
 * @param settings the settings the pool runs with by {@code pool.*} key ({@code size},
 * {@code overflow}, {@code recycle}, ...), each with its source: {@code property},
 * {@code profile:<name>}, {@code hikari} (a {@code spring.datasource.hikari.*} key),
 * {@code default}, {@code hikari default}, {@code bean} (the application's own bean),
 * {@code customizer}, or why the layout fixes it
 * @param stats what the pool has done since it started, null before it started or when
 * the starter does not track it
 * @param dataSource the pool
 */
public record JdbcPoolDescription(@Nullable String beanName, String role, String poolName, String url, String username,
		Map<String, Setting<?>> settings, @Nullable JdbcPoolStats stats, HikariDataSource dataSource) {

	/**
	 * The pool as the health check and the server checks see it.
	 * @return the pool and its role
	 */
	public JdbcPool pool() {
		return new JdbcPool(this.role, this.dataSource);
	}

}
