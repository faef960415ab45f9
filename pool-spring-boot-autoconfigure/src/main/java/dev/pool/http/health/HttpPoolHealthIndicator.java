package dev.pool.http.health;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import dev.pool.http.HttpPoolDescription;
import dev.pool.http.HttpPoolStats;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of one HTTP connection pool. It is UP whatever the load and whatever the remote
 * host does: a host that fails shows as an open circuit breaker in the details, since a
 * service restarted for a partner's outage would not bring the partner back.
 */
public class HttpPoolHealthIndicator implements HealthIndicator {

	private final String name;

	private final Supplier<List<HttpPoolDescription>> pools;

	/**
	 * Create a new instance.
	 * @param name the pool's name
	 * @param pools describes every HTTP pool now
	 */
	public HttpPoolHealthIndicator(String name, Supplier<List<HttpPoolDescription>> pools) {
		this.name = name;
		this.pools = pools;
	}

	@Override
	public Health health() {
		HttpPoolDescription pool = this.pools.get()
			.stream()
			.filter((description) -> description.name().equals(this.name))
			.findFirst()
			.orElse(null);
		if (pool == null) {
			return Health.unknown().withDetail("pool", this.name).build();
		}
		Health.Builder builder = Health.up();
		if (pool.baseUrl() != null) {
			builder.withDetail("baseUrl", pool.baseUrl());
		}
		builder.withDetail("maxConnections", pool.settings().get("max-connections").value());
		HttpPoolStats stats = pool.stats();
		if (stats != null) {
			builder.withDetail("open", stats.open())
				.withDetail("active", stats.active())
				.withDetail("idle", stats.idle())
				.withDetail("acquired", stats.acquired())
				.withDetail("created", stats.created())
				.withDetail("reuseRate", String.format(Locale.ROOT, "%.4f", stats.reuseRate()))
				.withDetail("closedIdle", stats.closedIdle())
				.withDetail("closedLife", stats.closedLife());
		}
		if (pool.circuitBreaker() != null) {
			builder.withDetail("circuitBreaker", pool.circuitBreaker());
		}
		if (pool.bulkheadAvailable() != null) {
			builder.withDetail("bulkheadAvailable", pool.bulkheadAvailable());
		}
		return builder.build();
	}

}
