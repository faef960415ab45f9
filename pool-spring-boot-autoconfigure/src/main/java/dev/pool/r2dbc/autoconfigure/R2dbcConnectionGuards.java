package dev.pool.r2dbc.autoconfigure;

import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.r2dbc.R2dbcConnectionGuard;

/**
 * Makes the guard of each R2DBC pool the starter makes, as the pool is made (the database
 * circuit breaker's auto-configuration is one).
 */
@FunctionalInterface
public interface R2dbcConnectionGuards {

	/**
	 * Make the guard of one pool.
	 * @param name the pool's bean name
	 * @param pool the pool
	 * @return the guard in front of its acquisitions
	 */
	R2dbcConnectionGuard guard(String name, ManagedConnectionPool pool);

}
