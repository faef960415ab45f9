package dev.pool.resilience.metrics;

import java.util.Locale;

import dev.pool.resilience.DatabaseCircuitBreaker;
import dev.pool.resilience.DatabaseCircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
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

	private static final CircuitBreaker.State[] STATES = { CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN,
			CircuitBreaker.State.HALF_OPEN };

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
		this.circuitBreakers.getCircuitBreakers().forEach((name, dataSource) -> {
			CircuitBreaker breaker = dataSource.getCircuitBreaker();
			for (CircuitBreaker.State state : STATES) {
				Gauge.builder("pool.resilience.circuit-breaker.state", breaker, (b) -> (b.getState() == state) ? 1 : 0)
					.description("1 for the state the database circuit breaker is in, 0 for the others")
					.tag("name", name)
					.tag("state", state.name().toLowerCase(Locale.ROOT))
					.register(registry);
			}
			FunctionCounter
				.builder("pool.resilience.circuit-breaker.refused", dataSource, DatabaseCircuitBreaker::getRefusedCount)
				.description("Connection requests refused at once while the breaker was open")
				.tag("name", name)
				.register(registry);
			FunctionCounter
				.builder("pool.resilience.circuit-breaker.failures", dataSource,
						DatabaseCircuitBreaker::getFailureCount)
				.description("Failed attempts to get a connection")
				.tag("name", name)
				.register(registry);
		});
	}

}
