package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Stands between a caller and a pool's {@code getConnection}, such as the database
 * circuit breaker, which refuses at once while the database keeps failing. It is called
 * on every borrow, so its usual path must cost next to nothing.
 */
@FunctionalInterface
public interface ConnectionGuard {

	/**
	 * Get a connection from the pool, or refuse.
	 * @param pool the pool's own {@code getConnection}
	 * @return the pool's connection
	 * @throws SQLException what the pool throws, or the guard's refusal
	 */
	Connection getConnection(ConnectionSource pool) throws SQLException;

	/**
	 * A pool's own {@code getConnection}.
	 */
	@FunctionalInterface
	interface ConnectionSource {

		Connection getConnection() throws SQLException;

	}

}
