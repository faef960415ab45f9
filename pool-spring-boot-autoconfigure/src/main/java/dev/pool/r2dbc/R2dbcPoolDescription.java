package dev.pool.r2dbc;

import java.util.Map;

import dev.pool.Setting;
import io.r2dbc.pool.ConnectionPool;

/**
 * One R2DBC pool as health, meters and the {@code pools} endpoint show it.
 *
 * @param name the pool's bean name
 * @param pool the pool
 * @param settings the effective settings by {@code pool.*} key, each with its source;
 * empty when the starter left the pool as Spring Boot made it
 * @param stats the pool's counts, null when r2dbc-pool has no metrics for it
 * @param credentials where the pool's credentials come from, and for rotating ones their
 * counts (never a secret)
 */
public record R2dbcPoolDescription(String name, ConnectionPool pool, Map<String, Setting<?>> settings,
		R2dbcPoolStats stats, R2dbcPoolCredentials credentials) {
}
