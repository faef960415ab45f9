package dev.pool.r2dbc.autoconfigure.metrics;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.r2dbc.R2dbcPools;
import dev.pool.r2dbc.autoconfigure.PoolR2dbcAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the starter's {@code pool.r2dbc.*} meters.
 */
@AutoConfiguration(after = PoolR2dbcAutoConfiguration.class)
@ConditionalOnClass({ MeterRegistry.class, ConnectionPool.class })
@ConditionalOnBean(R2dbcPools.class)
@ConditionalOnPoolEnabled
public final class R2dbcPoolMetricsAutoConfiguration {

	@Bean
	R2dbcPoolMeters poolR2dbcMeters(ObjectProvider<MeterRegistry> registries, R2dbcPools pools) {
		return new R2dbcPoolMeters(registries, pools);
	}

}
