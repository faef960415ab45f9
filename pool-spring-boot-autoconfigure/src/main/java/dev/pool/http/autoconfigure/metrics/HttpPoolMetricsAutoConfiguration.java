package dev.pool.http.autoconfigure.metrics;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.http.autoconfigure.HttpPoolObservations;
import dev.pool.http.autoconfigure.PoolHttpAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the starter's own {@code pool.http.*} meters.
 */
@AutoConfiguration(after = PoolHttpAutoConfiguration.class)
@ConditionalOnClass(value = MeterRegistry.class, name = "reactor.netty.resources.ConnectionProvider")
@ConditionalOnBean(HttpPoolObservations.class)
@ConditionalOnPoolEnabled
public final class HttpPoolMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpPoolMeterBinder poolHttpMeterBinder(HttpPoolObservations observations) {
		return new HttpPoolMeterBinder(observations);
	}

}
