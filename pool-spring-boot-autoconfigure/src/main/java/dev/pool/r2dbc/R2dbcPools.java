package dev.pool.r2dbc;

import java.util.List;

/**
 * The R2DBC pools of the application (every {@code io.r2dbc.pool.ConnectionPool} bean),
 * for the {@code pools} endpoint, health, meters and application code: the one read model
 * of the R2DBC half.
 */
public interface R2dbcPools {

	/**
	 * Describe every pool, by bean name, with its settings and counts now.
	 * @return the descriptions
	 */
	List<R2dbcPoolDescription> describe();

}
