package dev.pool.jdbc.autoconfigure.health;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.health.PoolHealthChild;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of the {@code jdbc} child of the {@code pool} health component: one
 * entry per pool of the application's DataSource, by role; with several DataSources, one
 * per DataSource by bean name; the targets of a routing DataSource by routing key.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
		ServerCheckAutoConfiguration.class })
@ConditionalOnClass({ HikariDataSource.class, JdbcTemplate.class, DataSourceAutoConfiguration.class,
		HealthContributor.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnPoolEnabled
@ConditionalOnEnabledHealthIndicator("pool")
public final class JdbcPoolHealthContributorAutoConfiguration {

	@Bean
	PoolHealthChild poolJdbcHealth(ListableBeanFactory beanFactory, ObjectProvider<JdbcPools> pools,
			ObjectProvider<ServerChecks> checks) {
		JdbcPoolHealthIndicators indicators = new JdbcPoolHealthIndicators(pools, checks);
		return new PoolHealthChild("jdbc", () -> CompositeHealthContributor
			.fromMap(indicators.poolContributors(beanFactory.getBeansOfType(DataSource.class))));
	}

}
