package dev.pool.jdbc.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.jdbc.JdbcDataSources;
import dev.pool.jdbc.JdbcDataSources.Node;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * Serves Spring Boot's {@code db} health path ({@code /actuator/health/db}) with the
 * saturation-aware check: UP while the database can be reached, also when every
 * connection is busy, where Spring Boot's own indicator waits behind the callers and
 * reports DOWN. The bean takes the name Spring Boot's
 * {@code DataSourceHealthContributorAutoConfiguration} backs off for, so the path, its
 * meaning and {@code management.health.db.enabled} stay as they were; a
 * {@code dbHealthIndicator} or {@code dbHealthContributor} bean of the application's own
 * wins. One DataSource is one indicator; several are a composite by bean name, and a
 * routing DataSource a composite by routing key of its resolved targets, as in Spring
 * Boot (with {@code management.health.db.ignore-routing-data-sources}). A DataSource that
 * is not HikariCP keeps Spring Boot's check.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
		ServerCheckAutoConfiguration.class }, before = DataSourceHealthContributorAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, JdbcTemplate.class, DataSourceAutoConfiguration.class,
		HealthContributor.class, DataSourceHealthIndicator.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnPoolEnabled
@ConditionalOnEnabledHealthIndicator("db")
public final class PoolDbHealthContributorAutoConfiguration {

	/** Spring Boot's key that leaves routing DataSources out of {@code db}. */
	private static final String IGNORE_ROUTING_DATA_SOURCES = "management.health.db.ignore-routing-data-sources";

	@Bean
	@ConditionalOnMissingBean(name = { "dbHealthIndicator", "dbHealthContributor" })
	HealthContributor dbHealthContributor(ListableBeanFactory beanFactory, ObjectProvider<JdbcPools> pools,
			ObjectProvider<ServerChecks> checks, Environment environment) {
		JdbcPoolHealthIndicators indicators = new JdbcPoolHealthIndicators(pools, checks);
		// Every DataSource bean, also one that is not a default candidate for injection
		// (the way Spring Boot's documentation adds a second DataSource beside its own).
		Map<String, DataSource> checked = new LinkedHashMap<>(beanFactory.getBeansOfType(DataSource.class));
		if (environment.getProperty(IGNORE_ROUTING_DATA_SOURCES, Boolean.class, false)) {
			checked.values().removeIf(AbstractRoutingDataSource.class::isInstance);
		}
		List<Node> nodes = JdbcDataSources.of(checked);
		if (nodes.size() == 1) {
			return indicators.dbContributor(nodes.get(0));
		}
		Map<String, HealthContributor> contributors = new LinkedHashMap<>();
		nodes.forEach((node) -> contributors.put(node.name(), indicators.dbContributor(node)));
		return CompositeHealthContributor.fromMap(contributors);
	}

}
