package dev.pool.check.autoconfigure;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.autoconfigure.PoolRootProperties;
import dev.pool.r2dbc.R2dbcPools;
import io.r2dbc.pool.ConnectionPool;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the start-up checks of the R2DBC pools against their servers:
 * {@code max_connections} and idle timeouts on PostgreSQL, MariaDB and MySQL, by the
 * rules of the JDBC checks.
 */
@AutoConfiguration(afterName = "dev.pool.r2dbc.autoconfigure.PoolR2dbcAutoConfiguration")
@ConditionalOnClass({ ConnectionPool.class, Mono.class })
@ConditionalOnPoolEnabled
@ConditionalOnBean(R2dbcPools.class)
@EnableConfigurationProperties(PoolRootProperties.class)
public final class R2dbcServerCheckAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	R2dbcServerCheckStarter poolR2dbcServerCheckStarter(R2dbcPools pools, PoolRootProperties properties) {
		return new R2dbcServerCheckStarter(pools, properties);
	}

}
