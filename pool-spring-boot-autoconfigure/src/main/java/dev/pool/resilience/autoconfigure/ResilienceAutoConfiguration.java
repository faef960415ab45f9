package dev.pool.resilience.autoconfigure;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.Durations;
import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.autoconfigure.PoolConnectionGuards;
import dev.pool.resilience.DatabaseCircuitBreakers;
import dev.pool.resilience.metrics.CircuitBreakerMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of the database circuit breaker: callers fail at once with
 * {@code DatabaseUnavailableException} while the database keeps refusing connections,
 * instead of each waiting {@code pool.acquire-timeout}; web applications answer 503.
 */
@AutoConfiguration
@ConditionalOnClass({ CircuitBreaker.class, HikariDataSource.class, JdbcTemplate.class,
		DataSourceAutoConfiguration.class })
@ConditionalOnPoolEnabled
@ConditionalOnBooleanProperty(name = "pool.resilience.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ResilienceProperties.class)
public final class ResilienceAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DatabaseCircuitBreakers poolDatabaseCircuitBreakers(ResilienceProperties properties) {
		return circuitBreakers(properties);
	}

	/**
	 * Make the breakers from {@code pool.resilience.*}, stopping start-up on a bad value.
	 * @param properties the keys
	 * @return the breakers
	 */
	static DatabaseCircuitBreakers circuitBreakers(ResilienceProperties properties) {
		if (properties.getFailureThreshold() < 1) {
			throw new PoolConfigurationException("pool.resilience.failure-threshold", properties.getFailureThreshold(),
					"a whole number, 1 or more",
					"Set pool.resilience.failure-threshold to the consecutive connection failures that open the "
							+ "breaker (default 5), or pool.resilience.enabled=false to turn the breaker off.");
		}
		if (properties.getPermittedCallsInHalfOpenState() < 1) {
			throw new PoolConfigurationException("pool.resilience.permitted-calls-in-half-open-state",
					properties.getPermittedCallsInHalfOpenState(), "a whole number, 1 or more",
					"Set pool.resilience.permitted-calls-in-half-open-state to the trial calls let through once the "
							+ "breaker's wait is over (default 1).");
		}
		Duration wait = properties.getWaitDurationInOpenState();
		if (wait == null || wait.toMillis() < 1) {
			throw new PoolConfigurationException("pool.resilience.wait-duration-in-open-state", Durations.format(wait),
					"a duration of 1ms or more",
					"Set pool.resilience.wait-duration-in-open-state to how long callers fail at once before the "
							+ "database is tried again, e.g. 10s.");
		}
		return new DatabaseCircuitBreakers(properties.getFailureThreshold(), wait,
				properties.getPermittedCallsInHalfOpenState());
	}

	/**
	 * A circuit breaker inside each pool of Spring Boot's DataSource, put there as the
	 * pool is made. The bean keeps its type: a single pool stays a
	 * {@code ManagedHikariDataSource}, whose breaker is named after the bean
	 * ({@code dataSource}); the write and read pools of a {@code ReadWriteDataSource} get
	 * one each ({@code dataSource.writer}, {@code dataSource.reader}). A DataSource bean
	 * of the application's own is left alone.
	 */
	@Bean
	PoolConnectionGuards poolCircuitBreakerGuards(ObjectProvider<DatabaseCircuitBreakers> circuitBreakers) {
		return (name, pool) -> circuitBreakers.getObject().create(name, pool);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CircuitBreakerMetrics poolCircuitBreakerMetrics(DatabaseCircuitBreakers circuitBreakers) {
			return new CircuitBreakerMetrics(circuitBreakers);
		}

	}

}
