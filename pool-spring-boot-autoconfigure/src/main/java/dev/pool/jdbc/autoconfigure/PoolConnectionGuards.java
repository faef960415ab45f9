package dev.pool.jdbc.autoconfigure;

import dev.pool.jdbc.ConnectionGuard;
import dev.pool.jdbc.ManagedHikariDataSource;

/**
 * Makes the {@link ConnectionGuard} of each pool the starter makes of Spring Boot's
 * DataSource, as the pool is made (the database circuit breaker provides one): the pool
 * is guarded before any bean can borrow from it, with no post-processor that runs after
 * another. A pool whose customizer set a guard keeps it.
 */
@FunctionalInterface
public interface PoolConnectionGuards {

	/**
	 * Make the guard of a pool.
	 * @param name the pool's name: the bean's for a single pool ({@code dataSource}),
	 * with the role for each of two ({@code dataSource.writer},
	 * {@code dataSource.reader}, {@code dataSource.primary}, {@code dataSource.read})
	 * @param pool the pool, not started
	 * @return the guard
	 */
	ConnectionGuard guard(String name, ManagedHikariDataSource pool);

}
