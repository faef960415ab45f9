package dev.pool.http.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pool.Setting;
import dev.pool.http.HttpPoolDescription;
import dev.pool.http.HttpPoolStats;

import org.springframework.beans.factory.ObjectProvider;

/**
 * What health, the {@code pools} endpoint and the meters read of the HTTP pools: settings
 * with their sources, counts, and each host's circuit breaker and bulkhead.
 */
public final class HttpPoolObservations {

	private final ConnectionPools pools;

	private final ObjectProvider<ResilienceStates> resilience;

	HttpPoolObservations(ConnectionPools pools, ObjectProvider<ResilienceStates> resilience) {
		this.pools = pools;
		this.resilience = resilience;
	}

	/**
	 * Describe every pool: the default one first, then the named hosts.
	 * @return the descriptions
	 */
	public List<HttpPoolDescription> describe() {
		ResilienceStates states = this.resilience.getIfAvailable();
		Map<String, HttpPoolStats> stats = this.pools.stats();
		List<HttpPoolDescription> descriptions = new ArrayList<>();
		this.pools.settings().forEach((name, settings) -> {
			Map<String, Setting<?>> values = new LinkedHashMap<>();
			values.put("max-connections", settings.maxConnections());
			values.put("pending-acquire-max-count", settings.pendingAcquireMaxCount());
			values.put("pending-acquire-timeout", settings.pendingAcquireTimeout());
			values.put("max-idle-time", settings.maxIdleTime());
			values.put("max-life-time", settings.maxLifeTime());
			values.put("evict-in-background", settings.evictInBackground());
			values.put("lease-strategy", settings.leaseStrategy());
			values.put("connect-timeout", settings.connectTimeout());
			values.put("response-timeout", settings.responseTimeout());
			descriptions.add(new HttpPoolDescription(name, settings.maskedBaseUrl(), values, stats.get(name),
					(states != null) ? states.circuitBreakerState(name) : null,
					(states != null) ? states.bulkheadAvailable(name) : null));
		});
		return descriptions;
	}

	/**
	 * The per-host resilience state, without resilience4j types (it is optional).
	 */
	interface ResilienceStates {

		String circuitBreakerState(String host);

		Integer bulkheadAvailable(String host);

	}

}
