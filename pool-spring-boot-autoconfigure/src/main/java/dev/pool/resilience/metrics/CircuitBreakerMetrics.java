package dev.pool.resilience.metrics;

import java.util.Locale;

import dev.pool.resilience.DatabaseCircuitBreaker;
import dev.pool.resilience.DatabaseCircuitBreakers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The {@code pool.resilience.*} meters of each database circuit breaker (tag
 * {@code name}): its state, the connection requests it refused, and the failed
 * acquisitions it counted.
 */
public class CircuitBreakerMetrics implements MeterBinder {

	/**
	 * resilience4j's names of the states reported (by name, so that binding the meters
	 * loads none of resilience4j's classes: a breaker is made on its first failure).
	 */
	private static final String[] STATES = { "CLOSED", "OPEN", "HALF_OPEN" };

	private final DatabaseCircuitBreakers circuitBreakers;

	/**
	 * Create a new binder.
	 * @param circuitBreakers the breakers
	 */
	public CircuitBreakerMetrics(DatabaseCircuitBreakers circuitBreakers) {
		this.circuitBreakers = circuitBreakers;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (DatabaseCircuitBreaker breaker : this.circuitBreakers.getCircuitBreakers().values()) {
			String name = breaker.getName();
			for (String state : STATES) {
				Gauge
					.builder("pool.resilience.circuit-breaker.state", breaker,
							(b) -> state.equals(b.getStateName()) ? 1 : 0)
					.description("1 for the state the database circuit breaker is in, 0 for the others")
					.tag("name", name)
					.tag("state", state.toLowerCase(Locale.ROOT))
					.register(registry);
			}
			FunctionCounter
				.builder("pool.resilience.circuit-breaker.refused", breaker, DatabaseCircuitBreaker::getRefusedCount)
				.description("Connection requests refused at once while the breaker was open")
				.tag("name", name)
				.register(registry);
			FunctionCounter
				.builder("pool.resilience.circuit-breaker.failures", breaker, DatabaseCircuitBreaker::getFailureCount)
				.description("Failed attempts to get a connection")
				.tag("name", name)
				.register(registry);
		}
	}

}
