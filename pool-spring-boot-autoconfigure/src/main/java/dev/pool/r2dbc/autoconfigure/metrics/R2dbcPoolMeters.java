package dev.pool.r2dbc.autoconfigure.metrics;

import java.util.function.ToDoubleFunction;

import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.r2dbc.R2dbcPoolDescription;
import dev.pool.r2dbc.R2dbcPools;
import dev.pool.r2dbc.RotatingR2dbcCredentials;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The starter's own R2DBC meters, beside Spring Boot's {@code r2dbc.pool.*} (which keep
 * the counts of connections and waiting callers): what those lack, for each pool the
 * starter made, tagged {@code pool} with the bean name.
 * <ul>
 * <li>{@code pool.r2dbc.refused}: callers {@code pool.max-waiting} refused at once;</li>
 * <li>{@code pool.r2dbc.acquire.timeouts}: callers that got no connection within
 * {@code pool.acquire-timeout};</li>
 * <li>{@code pool.r2dbc.discarded}: idle connections that failed their check on the way
 * out, discarded instead of reaching a caller;</li>
 * <li>{@code pool.r2dbc.auth.failures}: new connections the database refused for their
 * credentials, for a pool whose credentials rotate ({@code pool.credentials.*}).</li>
 * </ul>
 */
final class R2dbcPoolMeters implements SmartInitializingSingleton {

	private final ObjectProvider<MeterRegistry> registries;

	private final R2dbcPools pools;

	R2dbcPoolMeters(ObjectProvider<MeterRegistry> registries, R2dbcPools pools) {
		this.registries = registries;
		this.pools = pools;
	}

	@Override
	public void afterSingletonsInstantiated() {
		MeterRegistry registry = this.registries.getIfUnique();
		if (registry == null) {
			return;
		}
		for (R2dbcPoolDescription description : this.pools.describe()) {
			if (description.pool() instanceof ManagedConnectionPool pool) {
				counter(registry, "pool.r2dbc.refused", "Callers pool.max-waiting refused at once", description.name(),
						pool, ManagedConnectionPool::getRefused);
				counter(registry, "pool.r2dbc.acquire.timeouts",
						"Callers that got no connection within pool.acquire-timeout", description.name(), pool,
						ManagedConnectionPool::getTimedOut);
				counter(registry, "pool.r2dbc.discarded",
						"Idle connections that failed their check on the way out and were discarded",
						description.name(), pool, ManagedConnectionPool::getDiscarded);
				RotatingR2dbcCredentials credentials = pool.getCredentials();
				if (credentials != null) {
					FunctionCounter
						.builder("pool.r2dbc.auth.failures", credentials, RotatingR2dbcCredentials::authFailures)
						.description("New connections the database refused for their credentials")
						.tag("pool", description.name())
						.register(registry);
				}
			}
		}
	}

	private static void counter(MeterRegistry registry, String name, String description, String pool,
			ManagedConnectionPool connectionPool, ToDoubleFunction<ManagedConnectionPool> count) {
		FunctionCounter.builder(name, connectionPool, count)
			.description(description)
			.tag("pool", pool)
			.register(registry);
	}

}
