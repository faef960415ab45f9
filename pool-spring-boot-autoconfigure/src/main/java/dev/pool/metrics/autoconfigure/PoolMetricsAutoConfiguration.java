package dev.pool.metrics.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;

import dev.pool.http.autoconfigure.HttpPoolObservations;
import dev.pool.http.autoconfigure.PoolHttpAutoConfiguration;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.jdbc.autoconfigure.PoolMetricsTrackerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the starter's own {@code pool.*} meters.
 */
@AutoConfiguration(after = { PoolJdbcAutoConfiguration.class, PoolHttpAutoConfiguration.class })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "pool.enabled", matchIfMissing = true)
public final class PoolMetricsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HikariDataSource.class)
	@ConditionalOnBean(PoolMetricsTrackerFactory.class)
	static class JdbcMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JdbcPoolMeterBinder poolJdbcMeterBinder(ObjectProvider<DataSource> dataSource,
				PoolMetricsTrackerFactory stats) {
			return new JdbcPoolMeterBinder(dataSource, stats);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "reactor.netty.resources.ConnectionProvider")
	@ConditionalOnBean(HttpPoolObservations.class)
	static class HttpMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpPoolMeterBinder poolHttpMeterBinder(HttpPoolObservations observations) {
			return new HttpPoolMeterBinder(observations);
		}

	}

}
