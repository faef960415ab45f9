package dev.pool.jdbc.autoconfigure;

import com.zaxxer.hikari.HikariConfig;

/**
 * Names a pool before it starts the way HikariCP names it when it starts
 * ({@code HikariPool-<n>}, numbered JVM-wide through HikariCP's own system property), so
 * that the {@code pool} tag of the {@code hikaricp.*} meters stays what Spring Boot
 * gives, while the starter's health, meters and {@code pools} endpoint know the pool by
 * that name from the start.
 */
final class PoolNames {

	static final String GENERATED_PREFIX = "HikariPool-";

	private static final String POOL_NUMBER = "com.zaxxer.hikari.pool_number";

	private PoolNames() {
	}

	static void nameIfUnnamed(HikariConfig pool) {
		if (pool.getPoolName() != null) {
			return;
		}
		// HikariCP's HikariConfig.generatePoolName(), which a pool calls as it starts.
		synchronized (System.getProperties()) {
			String next = String.valueOf(Integer.getInteger(POOL_NUMBER, 0) + 1);
			System.setProperty(POOL_NUMBER, next);
			pool.setPoolName(GENERATED_PREFIX + next);
		}
	}

}
