package dev.pool.metrics.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;

import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.jdbc.autoconfigure.PoolMetricsTrackerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the starter's own {@code pool.*} meters.
 */
@AutoConfiguration(after = PoolJdbcAutoConfiguration.class)
@ConditionalOnClass({ MeterRegistry.class, HikariDataSource.class })
@ConditionalOnBean(PoolMetricsTrackerFactory.class)
public final class PoolMetricsAutoConfiguration {

	@Bean
	JdbcPoolMeterBinder poolJdbcMeterBinder(ObjectProvider<DataSource> dataSource, PoolMetricsTrackerFactory stats) {
		return new JdbcPoolMeterBinder(dataSource, stats);
	}

}
