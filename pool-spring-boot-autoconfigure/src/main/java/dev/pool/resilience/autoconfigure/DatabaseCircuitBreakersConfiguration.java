package dev.pool.resilience.autoconfigure;

import java.time.Duration;

import dev.pool.Durations;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.resilience.DatabaseCircuitBreakers;
import dev.pool.resilience.metrics.CircuitBreakerMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database circuit breakers and their meters, shared by the JDBC and the R2DBC pools:
 * imported by {@link ResilienceAutoConfiguration} and
 * {@link ResilienceR2dbcAutoConfiguration}, and processed once when both apply.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseCircuitBreakersConfiguration {

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
	private static DatabaseCircuitBreakers circuitBreakers(ResilienceProperties properties) {
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
