package dev.pool.health.autoconfigure;

import dev.pool.check.ServerChecks;
import dev.pool.health.JdbcPoolHealthIndicator;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.autoconfigure.PoolMetricsTrackerFactory;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Makes the health indicator of one pool, for the {@code pool.jdbc} child and for
 * {@code db}.
 */
final class JdbcPoolHealthIndicators {

	private JdbcPoolHealthIndicators() {
	}

	static JdbcPoolHealthIndicator of(JdbcPool pool, ObjectProvider<PoolMetricsTrackerFactory> stats,
			ObjectProvider<ServerChecks> checks) {
		PoolMetricsTrackerFactory tracker = stats.getIfAvailable();
		ServerChecks serverChecks = checks.getIfAvailable();
		return new JdbcPoolHealthIndicator(pool, (name) -> (tracker != null) ? tracker.get(name) : null,
				(role) -> (serverChecks != null) ? serverChecks.forPool(role) : null);
	}

}
