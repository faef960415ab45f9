package dev.pool.r2dbc.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.health.PoolHealthChild;
import dev.pool.r2dbc.R2dbcPoolDescription;
import dev.pool.r2dbc.R2dbcPools;
import dev.pool.r2dbc.autoconfigure.PoolR2dbcAutoConfiguration;
import dev.pool.r2dbc.health.R2dbcPoolHealthIndicator;
import io.r2dbc.pool.ConnectionPool;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code r2dbc} child of the {@code pool} health component: one
 * indicator per R2DBC pool, by bean name.
 */
@AutoConfiguration(after = PoolR2dbcAutoConfiguration.class)
@ConditionalOnClass({ HealthContributor.class, ConnectionPool.class })
@ConditionalOnBean(R2dbcPools.class)
@ConditionalOnPoolEnabled
@ConditionalOnEnabledHealthIndicator("pool")
public final class R2dbcPoolHealthContributorAutoConfiguration {

	@Bean
	PoolHealthChild poolR2dbcHealth(R2dbcPools pools) {
		return new PoolHealthChild("r2dbc", () -> {
			Map<String, HealthContributor> contributors = new LinkedHashMap<>();
			for (R2dbcPoolDescription pool : pools.describe()) {
				contributors.put(pool.name(), new R2dbcPoolHealthIndicator(pool.name(), pools::describe));
			}
			return CompositeHealthContributor.fromMap(contributors);
		});
	}

}
