package dev.pool.jdbc.autoconfigure;

import com.zaxxer.hikari.HikariConfig;

/**
 * The one mapping from the starter's settings to HikariCP's: each {@link JdbcPoolKey}
 * sets its own HikariCP setting, then the two rules of a pool's shape apply. A key
 * without a setting is not applied (a DataSource bean of the user's own gets only the
 * {@code pool.*} keys the user set).
 */
final class HikariConfigMapping {

	private HikariConfigMapping() {
	}

	/**
	 * Apply the settings to a pool that has not started.
	 * @param settings the settings of this pool
	 * @param hikari the pool's configuration
	 */
	static void apply(JdbcPoolSettings settings, HikariConfig hikari) {
		for (JdbcPoolKey<?> key : JdbcPoolKey.ALL) {
			key.apply(settings.get(key), hikari);
		}
		if (hikari.getMinimumIdle() > hikari.getMaximumPoolSize()) {
			// Only a user's own bean gets here (pool.size set, pool.overflow not):
			// HikariCP
			// would lower the size silently, so the maximum rises to it instead.
			hikari.setMaximumPoolSize(hikari.getMinimumIdle());
		}
		if (settings.overflow() != null && settings.overflow().value() == 0) {
			// A fixed-size pool closes no idle connection; HikariCP warns if a timeout is
			// set.
			hikari.setIdleTimeout(0);
		}
	}

}
