package dev.pool.jdbc;

import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The JDBC pools the starter made or tuned, described by the code that built them, for
 * health, the meters, the {@code pools} endpoint and application code. The readers never
 * work the layout out again, nor read a pool's counts themselves: what a pool runs with,
 * where each value came from, what it has done and its connections now are here.
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
	 * Run an action once a pool has started, with the name HikariCP gave it (the
	 * {@code pool} tag of its {@code hikaricp.*} meters): at once when it has started or
	 * the starter does not record it, else as it starts, on the thread that starts it.
	 * @param pool the pool
	 * @param action what to run, given HikariCP's pool name (null for a pool that has not
	 * started and is not recorded, when the application did not name it)
	 */
	default void whenStarted(HikariDataSource pool, Consumer<String> action) {
		action.accept(pool.getPoolName());
	}

}
