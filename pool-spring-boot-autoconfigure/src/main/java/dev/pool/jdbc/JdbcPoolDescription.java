package dev.pool.jdbc;

import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.Setting;
import org.jspecify.annotations.Nullable;

/**
 * One JDBC pool as health, the meters, the {@code pools} endpoint and the server checks
 * show it: the settings it runs with, each with its source, what it has done since it
 * started, and its connections now. It has the shape of the HTTP pools' description: who
 * the pool is, its settings, its statistics and its live state, read once, by
 * {@link JdbcPools}.
 *
 * @param beanName the name of the DataSource bean the pool belongs to, null when unknown
 * @param role the pool's role: {@code primary}, {@code read}, or for a SQLite file
 * {@code writer} and {@code reader}
 * @param poolName HikariCP's pool name (the {@code pool} tag of the {@code hikaricp.*}
 * meters); null before the pool started when the application did not name it (HikariCP
 * names it as it starts)
 * @param url the JDBC URL with credentials masked
 * @param username the login user
 * @param settings the settings the pool runs with by {@code pool.*} key ({@code size},
 * {@code overflow}, {@code recycle}, ...), each with its source: {@code property},
 * {@code profile:<name>}, {@code hikari} (a {@code spring.datasource.hikari.*} key),
 * {@code default}, {@code hikari default}, {@code bean} (the application's own bean),
 * {@code customizer}, or why the layout fixes it
 * @param stats what the pool has done since it started (a live view, all zero before it
 * started), null when the starter does not record it: a pool that had started before the
 * starter saw it, or has a metrics tracker of the application's own
 * @param state its connections now, read as the description was made
 * @param dataSource the pool
 */
public record JdbcPoolDescription(@Nullable String beanName, String role, @Nullable String poolName, String url,
		String username, Map<String, Setting<?>> settings, @Nullable JdbcPoolStats stats, JdbcPoolState state,
		HikariDataSource dataSource) {

	/**
	 * The pool as the health check and the server checks see it.
	 * @return the pool and its role
	 */
	public JdbcPool pool() {
		return new JdbcPool(this.role, this.dataSource);
	}

}
