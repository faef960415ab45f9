package dev.pool.jdbc.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Serves Spring Boot's {@code db} health path ({@code /actuator/health/db}) with the
 * saturation-aware check: UP while the database can be reached, also when every
 * connection is busy, where Spring Boot's own indicator waits behind the callers and
 * reports DOWN. The bean takes the name Spring Boot's
 * {@code DataSourceHealthContributorAutoConfiguration} backs off for, so the path, its
 * meaning and {@code management.health.db.enabled} stay as they were; a
 * {@code dbHealthIndicator} or {@code dbHealthContributor} bean of the application's own
 * wins. One DataSource is one indicator; several are a composite by bean name, as in
 * Spring Boot. A DataSource that is not HikariCP keeps Spring Boot's check.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
		ServerCheckAutoConfiguration.class }, before = DataSourceHealthContributorAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, JdbcTemplate.class, DataSourceAutoConfiguration.class,
		HealthContributor.class, DataSourceHealthIndicator.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "pool.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("db")
public final class PoolDbHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "dbHealthIndicator", "dbHealthContributor" })
	HealthContributor dbHealthContributor(Map<String, DataSource> dataSources, ObjectProvider<JdbcPools> pools,
			ObjectProvider<ServerChecks> checks) {
		JdbcPoolHealth health = new JdbcPoolHealth(new JdbcPoolHealthIndicators(pools, checks));
		if (dataSources.size() == 1) {
			return health.of(dataSources.values().iterator().next());
		}
		Map<String, HealthContributor> contributors = new LinkedHashMap<>();
		dataSources.forEach((name, dataSource) -> contributors.put(name, health.of(dataSource)));
		return CompositeHealthContributor.fromMap(contributors);
	}

	/**
	 * One DataSource's {@code db} contributor: its pool, its pools by role when it routes
	 * to two, or Spring Boot's own check for a DataSource that is not HikariCP.
	 */
	private record JdbcPoolHealth(JdbcPoolHealthIndicators indicators) {

		HealthContributor of(DataSource dataSource) {
			List<JdbcPool> pools = this.indicators.poolsOf(dataSource);
			if (pools.isEmpty()) {
				return new DataSourceHealthIndicator(dataSource);
			}
			if (pools.size() == 1) {
				return this.indicators.of(pools.get(0));
			}
			Map<String, HealthContributor> byRole = new LinkedHashMap<>();
			pools.forEach((pool) -> byRole.put(pool.name(), this.indicators.of(pool)));
			return CompositeHealthContributor.fromMap(byRole);
		}

	}

}
