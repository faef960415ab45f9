package dev.pool.jdbc.autoconfigure.metrics;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of the starter's own {@code pool.jdbc.*} meters.
 */
@AutoConfiguration(after = PoolJdbcAutoConfiguration.class)
@ConditionalOnClass({ MeterRegistry.class, HikariDataSource.class, JdbcTemplate.class,
		DataSourceAutoConfiguration.class })
@ConditionalOnBean(JdbcPools.class)
@ConditionalOnPoolEnabled
public final class JdbcPoolMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JdbcPoolMeterBinder poolJdbcMeterBinder(ListableBeanFactory beanFactory, JdbcPools pools) {
		return new JdbcPoolMeterBinder(() -> beanFactory.getBeansOfType(DataSource.class), pools);
	}

}
