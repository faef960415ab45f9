package dev.pool.http;

import java.util.Map;

import dev.pool.Setting;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP connection pool as health and the {@code pools} endpoint show it.
 *
 * @param name the pool name: {@code default} or the host's name
 * @param baseUrl the host's base URL with credentials masked, null for the default pool
 * @param settings the effective settings by key, each with its source
 * @param stats the pool's counts
 * @param circuitBreaker the host's circuit breaker state ({@code CLOSED}, {@code OPEN},
 * {@code HALF_OPEN}, ...), null without one
 * @param bulkheadAvailable calls the host's bulkhead still admits, null without one
 */
public record HttpPoolDescription(String name, @Nullable String baseUrl, Map<String, Setting<?>> settings,
		HttpPoolStats stats, @Nullable String circuitBreaker, @Nullable Integer bulkheadAvailable) {
}
