package dev.pool.endpoint.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.pool.autoconfigure.PoolProperties;
import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.jdbc.autoconfigure.JdbcPoolSettings;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.jdbc.autoconfigure.PoolMetricsTrackerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code pools} actuator endpoint, exposed like any actuator
 * endpoint ({@code management.endpoints.web.exposure.include=pools}).
 */
@AutoConfiguration(after = { PoolJdbcAutoConfiguration.class, ServerCheckAutoConfiguration.class })
@ConditionalOnClass({ ConditionalOnAvailableEndpoint.class, HikariDataSource.class })
@ConditionalOnBean(JdbcPoolSettings.class)
@ConditionalOnAvailableEndpoint(PoolsEndpoint.class)
public final class PoolsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PoolsEndpoint poolsEndpoint(ObjectProvider<DataSource> dataSource, JdbcPoolSettings settings,
			PoolProperties properties, ObjectProvider<PoolMetricsTrackerFactory> stats,
			ObjectProvider<ServerChecks> checks) {
		return new PoolsEndpoint(dataSource.getIfUnique(), settings, properties, stats.getIfAvailable(),
				checks.getIfAvailable());
	}

}
