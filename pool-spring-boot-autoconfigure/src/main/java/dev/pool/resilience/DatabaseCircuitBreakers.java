package dev.pool.resilience;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.pool.Durations;

/**
 * The circuit breakers of the application's databases, one per pool, all with the
 * {@code pool.resilience.*} settings. The starter wraps Spring Boot's DataSource with
 * them; {@link #wrap(String, DataSource)} does the same for a DataSource of your own.
 */
public class DatabaseCircuitBreakers {

	private static final Log logger = LogFactory.getLog(DatabaseCircuitBreakers.class);

	private final CircuitBreakerConfig config;

	private final int failureThreshold;

	private final Duration waitDurationInOpenState;

	private final Map<String, CircuitBreakerDataSource> dataSources = Collections.synchronizedMap(new LinkedHashMap<>());

	/**
	 * Create a new instance.
	 * @param failureThreshold consecutive failed acquisitions that open a breaker
	 * @param waitDurationInOpenState how long a breaker stays open before calls try again
	 * @param permittedCallsInHalfOpenState trial calls let through after the wait; the
	 * breaker closes if one of them gets a connection
	 */
	public DatabaseCircuitBreakers(int failureThreshold, Duration waitDurationInOpenState,
			int permittedCallsInHalfOpenState) {
		this.failureThreshold = failureThreshold;
		this.waitDurationInOpenState = waitDurationInOpenState;
		this.config = CircuitBreakerConfig.custom()
			.slidingWindowType(SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(failureThreshold)
			.minimumNumberOfCalls(failureThreshold)
			.failureRateThreshold(100)
			.waitDurationInOpenState(waitDurationInOpenState)
			.permittedNumberOfCallsInHalfOpenState(permittedCallsInHalfOpenState)
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			.writableStackTraceEnabled(false)
			.build();
	}

	/**
	 * Guard a DataSource with a breaker of its own.
	 * @param name the breaker's name, shown in health, metrics and errors
	 * @param dataSource the DataSource (a pool) to guard
	 * @return the guarded DataSource
	 */
	public CircuitBreakerDataSource wrap(String name, DataSource dataSource) {
		CircuitBreaker circuitBreaker = CircuitBreaker.of(name, this.config);
		circuitBreaker.getEventPublisher()
			.onStateTransition((event) -> logger.warn("pool: circuit breaker of DataSource '" + name + "' "
					+ event.getStateTransition().getFromState() + " -> " + event.getStateTransition().getToState()
					+ describe(event.getStateTransition().getToState())));
		CircuitBreakerDataSource guarded = new CircuitBreakerDataSource(dataSource, circuitBreaker,
				this.failureThreshold, this.waitDurationInOpenState);
		this.dataSources.put(name, guarded);
		return guarded;
	}

	private String describe(CircuitBreaker.State state) {
		return switch (state) {
			case OPEN -> ": " + this.failureThreshold + " consecutive attempts to get a connection failed; calls fail "
					+ "at once for " + Durations.format(this.waitDurationInOpenState);
			case HALF_OPEN -> ": letting trial calls through";
			case CLOSED -> ": the database is back";
			default -> "";
		};
	}

	/**
	 * Return the guarded DataSources by breaker name, in the order they were made.
	 * @return a snapshot
	 */
	public Map<String, CircuitBreakerDataSource> getDataSources() {
		synchronized (this.dataSources) {
			return new LinkedHashMap<>(this.dataSources);
		}
	}

	public int getFailureThreshold() {
		return this.failureThreshold;
	}

	public Duration getWaitDurationInOpenState() {
		return this.waitDurationInOpenState;
	}

}
