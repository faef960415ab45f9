package dev.pool.jdbc.autoconfigure.health;

import java.util.List;

import javax.sql.DataSource;

import dev.pool.check.ServerChecks;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.health.JdbcPoolHealthIndicator;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Makes the health indicators of the pools behind a DataSource, as {@link JdbcPools}
 * describes them, for the {@code pool.jdbc} child and for {@code db}.
 *
 * @param pools describes the pools, if the JDBC pool's auto-configuration ran
 * @param checks the server checks, if they run
 */
record JdbcPoolHealthIndicators(ObjectProvider<JdbcPools> pools, ObjectProvider<ServerChecks> checks) {

	/**
	 * The pools behind a DataSource, by role.
	 * @param dataSource a DataSource bean
	 * @return its pools, empty when it is not (and does not wrap) a HikariDataSource
	 */
	List<JdbcPool> poolsOf(DataSource dataSource) {
		JdbcPools pools = this.pools.getIfAvailable();
		return (pools != null) ? pools.describe(dataSource).stream().map(JdbcPoolDescription::pool).toList()
				: JdbcPool.of(dataSource);
	}

	JdbcPoolHealthIndicator of(JdbcPool pool) {
		JdbcPools pools = this.pools.getIfAvailable();
		ServerChecks serverChecks = this.checks.getIfAvailable();
		return new JdbcPoolHealthIndicator(pool, (name) -> (pools != null) ? pools.stats(name) : null,
				(role) -> (serverChecks != null) ? serverChecks.forPool(role) : null);
	}

}
