package dev.pool.http;

import java.util.Map;

/**
 * The HTTP connection pools the starter made, for the {@code pools} endpoint, health and
 * application code. The pool behind Spring Boot's {@code WebClient.Builder} is named
 * {@code default}; each host under {@code pool.http.hosts} has a pool of its name.
 */
public interface HttpPools {

	/**
	 * Return a snapshot of every pool, the default pool first.
	 * @return the snapshots by pool name
	 */
	Map<String, HttpPoolStats> stats();

	/**
	 * Return a snapshot of one pool.
	 * @param name the pool name
	 * @return the snapshot
	 * @throws IllegalArgumentException if there is no pool of that name
	 */
	default HttpPoolStats stats(String name) {
		HttpPoolStats stats = stats().get(name);
		if (stats == null) {
			throw new IllegalArgumentException("No HTTP pool named '" + name + "'; the pools are " + stats().keySet());
		}
		return stats;
	}

}
