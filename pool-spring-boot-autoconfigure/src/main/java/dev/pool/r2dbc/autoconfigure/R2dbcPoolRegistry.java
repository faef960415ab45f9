package dev.pool.r2dbc.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.pool.Setting;
import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.r2dbc.R2dbcPoolCredentials;
import dev.pool.r2dbc.R2dbcPoolDescription;
import dev.pool.r2dbc.R2dbcPoolStats;
import dev.pool.r2dbc.R2dbcPools;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The R2DBC pools' read model: every {@link ConnectionPool} among the application's
 * {@link ConnectionFactory} beans (unwrapped), with the settings the starter applied to
 * it and r2dbc-pool's counts.
 */
final class R2dbcPoolRegistry implements R2dbcPools {

	private final ListableBeanFactory beanFactory;

	private final Map<String, R2dbcPoolSettings> tuned = new ConcurrentHashMap<>();

	R2dbcPoolRegistry(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	void tuned(String beanName, R2dbcPoolSettings settings) {
		this.tuned.put(beanName, settings);
	}

	@Override
	public List<R2dbcPoolDescription> describe() {
		List<R2dbcPoolDescription> pools = new ArrayList<>();
		this.beanFactory.getBeansOfType(ConnectionFactory.class, false, false).forEach((name, factory) -> {
			ConnectionPool pool = unwrap(factory);
			if (pool != null && !pool.isDisposed()) {
				R2dbcPoolSettings settings = this.tuned.get(name);
				Map<String, Setting<?>> byKey = (settings != null) ? settings.byKey() : Map.of();
				ManagedConnectionPool managed = (pool instanceof ManagedConnectionPool starters) ? starters : null;
				pools.add(new R2dbcPoolDescription(name, pool, byKey, pool.getMetrics().map(this::stats).orElse(null),
						(managed != null) ? managed.getServerCheck() : null,
						R2dbcPoolCredentials.of((managed != null) ? managed.getCredentials() : null)));
			}
		});
		return pools;
	}

	private R2dbcPoolStats stats(PoolMetrics metrics) {
		return new R2dbcPoolStats(metrics.acquiredSize(), metrics.allocatedSize(), metrics.idleSize(),
				metrics.pendingAcquireSize(), metrics.getMaxAllocatedSize(), metrics.getMaxPendingAcquireSize());
	}

	/**
	 * A pool behind wrappers (a proxy factory of the application's own), as Spring Boot
	 * finds them.
	 */
	private static ConnectionPool unwrap(ConnectionFactory factory) {
		Object candidate = factory;
		for (int depth = 0; depth < 10 && candidate != null; depth++) {
			if (candidate instanceof ConnectionPool pool) {
				return pool;
			}
			candidate = (candidate instanceof Wrapped<?> wrapped) ? wrapped.unwrap() : null;
		}
		return null;
	}

}
