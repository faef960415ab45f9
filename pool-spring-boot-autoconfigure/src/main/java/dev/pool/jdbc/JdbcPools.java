package dev.pool.jdbc;

import java.util.List;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * The JDBC pools the starter made or tuned, described by the code that built them, for
 * health, the meters, the {@code pools} endpoint and application code. The readers never
 * work the layout out again: what a pool runs with and where each value came from is
 * here.
 */
public interface JdbcPools {

	/**
	 * Return the {@code pool.profile} the settings started from.
	 * @return the profile's name
	 */
	String profile();

	/**
	 * Describe every pool the starter made or tuned, in the order they were made.
	 * @return the descriptions
	 */
	List<JdbcPoolDescription> describe();

	/**
	 * Describe the pools behind one DataSource bean, the write pool first. A HikariCP
	 * pool the starter left alone (it had started already) is described with the values
	 * it runs with.
	 * @param dataSource a DataSource bean
	 * @return its pools, empty when it is not (and does not wrap) a HikariDataSource
	 */
	List<JdbcPoolDescription> describe(DataSource dataSource);

	/**
	 * Return the statistics of a pool.
	 * @param poolName the pool's name in HikariCP
	 * @return its statistics, or null before it started or when the starter does not
	 * track it
	 */
	@Nullable JdbcPoolStats stats(String poolName);

}
