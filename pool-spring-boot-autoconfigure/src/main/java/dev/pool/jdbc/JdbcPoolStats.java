package dev.pool.jdbc;

import java.util.Map;

/**
 * What one HikariCP pool has done since it started: connections opened, acquisitions,
 * waits and timeouts. A live, read-only view: the counts are those of the moment each
 * method is called. The starter records them through HikariCP's metrics tracker of the
 * pool instance they belong to ({@link ManagedHikariDataSource#getStats()}), off the hot
 * path.
 */
public interface JdbcPoolStats {

	/**
	 * Return the connections the pool has opened.
	 * @return the count since the pool started
	 */
	long connectionsCreated();

	/**
	 * Return the connections handed to callers.
	 * @return the count since the pool started
	 */
	long acquisitions();

	/**
	 * Return the acquisitions that waited for a connection to come free (100 ms or more).
	 * @return the count since the pool started
	 */
	long waits();

	/**
	 * Return the callers that gave up after the acquire timeout.
	 * @return the count since the pool started
	 */
	long timeouts();

	/**
	 * Return the exhaustion warnings logged.
	 * @return the count since the pool started
	 */
	long exhaustionWarnings();

	/**
	 * Return the connections opened while callers were waiting for one: the acquisitions
	 * the pool could not serve from a connection already open. Connections opened ahead
	 * of demand (the {@code pool.size} kept open, replacements of recycled ones) are not
	 * among them.
	 * @return the count since the pool started
	 */
	long connectionsOpenedOnDemand();

	/**
	 * Return how long acquisitions took, as HikariCP's acquire timer
	 * ({@code hikaricp.connections.acquire}) tells.
	 * @return milliseconds by statistic ({@code mean}, {@code max}, and {@code p99} and
	 * the like when percentiles are published), empty without a meter registry
	 */
	Map<String, Double> acquireMillis();

	/**
	 * The share of acquisitions served by a connection that was already open:
	 * {@code 1 - connectionsOpenedOnDemand / acquisitions}.
	 * @return from 0 to 1, or NaN before the first acquisition
	 */
	default double reuseRate() {
		long acquisitions = acquisitions();
		return (acquisitions == 0) ? Double.NaN
				: Math.max(0.0, 1.0 - (double) connectionsOpenedOnDemand() / acquisitions);
	}

}
