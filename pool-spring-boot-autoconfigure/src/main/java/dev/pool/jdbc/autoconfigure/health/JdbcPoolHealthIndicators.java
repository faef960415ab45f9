package dev.pool.jdbc.autoconfigure.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.Credentials;
import dev.pool.check.ServerChecks;
import dev.pool.jdbc.JdbcDataSources;
import dev.pool.jdbc.JdbcDataSources.Node;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.JdbcPoolState;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.RotatingCredentials;
import dev.pool.jdbc.health.JdbcPoolHealthIndicator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;

/**
 * Makes the health indicators of the pools behind the application's DataSources, named as
 * {@link JdbcDataSources} names them, for the {@code pool.jdbc} child and for {@code db}.
 *
 * @param pools describes the pools, if the JDBC pool's auto-configuration ran
 * @param checks the server checks, if they run
 */
record JdbcPoolHealthIndicators(ObjectProvider<JdbcPools> pools, ObjectProvider<ServerChecks> checks) {

	/**
	 * The children of {@code pool.jdbc}: with one DataSource that has pools, its pools by
	 * role (or its targets by routing key); with several, each by bean name.
	 * @param dataSources the DataSource beans by name
	 * @return the contributors by name
	 */
	Map<String, HealthContributor> poolContributors(Map<String, DataSource> dataSources) {
		List<Node> pooled = new ArrayList<>();
		for (Node node : JdbcDataSources.of(dataSources)) {
			if (node.hasPools()) {
				pooled.add(node);
			}
		}
		if (pooled.size() == 1) {
			return children(pooled.get(0), false);
		}
		Map<String, HealthContributor> contributors = new LinkedHashMap<>();
		for (Node node : pooled) {
			contributors.put(node.name(), poolContributor(node));
		}
		return contributors;
	}

	/**
	 * The {@code db} contributor of one DataSource: its pool, its pools by role, its
	 * targets by routing key, or Spring Boot's own check for a DataSource that is not
	 * HikariCP.
	 * @param node the DataSource
	 * @return its contributor
	 */
	HealthContributor dbContributor(Node node) {
		if (!node.targets().isEmpty()) {
			return CompositeHealthContributor.fromMap(children(node, true));
		}
		if (node.pools().isEmpty()) {
			return new DataSourceHealthIndicator(node.dataSource());
		}
		if (node.pools().size() == 1) {
			return of(node.pools().values().iterator().next());
		}
		return CompositeHealthContributor.fromMap(children(node, true));
	}

	private HealthContributor poolContributor(Node node) {
		if (node.targets().isEmpty() && node.pools().size() == 1) {
			return of(node.pools().values().iterator().next());
		}
		return CompositeHealthContributor.fromMap(children(node, false));
	}

	/**
	 * A DataSource's pools by role, or its targets by routing key (those with pools only
	 * for {@code pool.jdbc}).
	 */
	private Map<String, HealthContributor> children(Node node, boolean db) {
		Map<String, HealthContributor> children = new LinkedHashMap<>();
		if (!node.targets().isEmpty()) {
			node.targets()
				.stream()
				.filter((child) -> db || child.hasPools())
				.forEach((child) -> children.put(child.name(), db ? dbContributor(child) : poolContributor(child)));
		}
		else {
			node.pools().forEach((role, pool) -> children.put(role, of(pool)));
		}
		return children;
	}

	JdbcPoolHealthIndicator of(JdbcPool pool) {
		JdbcPools pools = this.pools.getIfAvailable();
		ServerChecks serverChecks = this.checks.getIfAvailable();
		return new JdbcPoolHealthIndicator(pool, () -> describe(pools, pool),
				(name) -> (serverChecks != null) ? serverChecks.forPool(name) : null);
	}

	/**
	 * The pool as {@link JdbcPools} describes it; without the JDBC pool's
	 * auto-configuration, as HikariCP runs it.
	 */
	private static JdbcPoolDescription describe(JdbcPools pools, JdbcPool pool) {
		List<JdbcPoolDescription> described = (pools != null) ? pools.describe(pool.dataSource()) : List.of();
		HikariDataSource dataSource = pool.dataSource();
		return described.isEmpty() ? new JdbcPoolDescription(null, pool.name(), dataSource.getPoolName(),
				Credentials.mask(dataSource.getJdbcUrl()), RotatingCredentials.usernameOf(dataSource), Map.of(), null,
				JdbcPoolState.of(dataSource), dataSource) : described.get(0);
	}

}
