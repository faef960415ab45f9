package dev.pool.r2dbc;

import java.util.Map;

import dev.pool.Setting;
import dev.pool.check.ServerCheck;
import io.r2dbc.pool.ConnectionPool;
import org.jspecify.annotations.Nullable;

/**
 * One R2DBC pool as health, meters and the {@code pools} endpoint show it.
 *
 * @param name the pool's bean name
 * @param pool the pool
 * @param settings the effective settings by {@code pool.*} key, each with its source;
 * empty when the starter left the pool as Spring Boot made it
 * @param stats the pool's counts, null when r2dbc-pool has no metrics for it
 * @param serverCheck what the start-up check against the database server found, null
 * while it runs or when the pool is not checked
 * @param credentials where the pool's credentials come from, and for rotating ones their
 * counts (never a secret)
 */
public record R2dbcPoolDescription(String name, ConnectionPool pool, Map<String, Setting<?>> settings,
		@Nullable R2dbcPoolStats stats, @Nullable ServerCheck serverCheck, R2dbcPoolCredentials credentials) {

	/**
	 * Describe a pool without a server check, its credentials the connection factory's.
	 * @param name the pool's bean name
	 * @param pool the pool
	 * @param settings the effective settings by {@code pool.*} key
	 * @param stats the pool's counts, or null
	 */
	public R2dbcPoolDescription(String name, ConnectionPool pool, Map<String, Setting<?>> settings,
			@Nullable R2dbcPoolStats stats) {
		this(name, pool, settings, stats, null, R2dbcPoolCredentials.PROPERTY);
	}

}
