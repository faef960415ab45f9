package dev.pool.resilience;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.pool.Durations;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The circuit breakers of the application's databases, one per pool, all with the
 * {@code pool.resilience.*} settings. The starter puts one inside each of its pools;
 * {@link #wrap(String, DataSource)} puts one in front of a DataSource of your own. A
 * breaker's resilience4j {@code CircuitBreaker} is made on its first need (see
 * {@link DatabaseCircuitBreaker}), so resilience4j's classes load only then.
 */
public class DatabaseCircuitBreakers {

	private static final Log logger = LogFactory.getLog(DatabaseCircuitBreakers.class);

	private final int permittedCallsInHalfOpenState;

	/** What makes the breakers' resilience4j part, made with the first one. */
	private volatile Resilience4j resilience4j;

	private final int failureThreshold;

	private final Duration waitDurationInOpenState;

	private final Map<String, DatabaseCircuitBreaker> breakers = Collections.synchronizedMap(new LinkedHashMap<>());

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
		this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
	}

	private Resilience4j resilience4j() {
		Resilience4j resilience4j = this.resilience4j;
		if (resilience4j == null) {
			synchronized (this.breakers) {
				resilience4j = this.resilience4j;
				if (resilience4j == null) {
					resilience4j = new Resilience4j(this.failureThreshold, this.waitDurationInOpenState,
							this.permittedCallsInHalfOpenState);
					this.resilience4j = resilience4j;
				}
			}
		}
		return resilience4j;
	}

	/**
	 * Make a breaker for one pool.
	 * @param name the breaker's name, shown in health, metrics and errors
	 * @return the breaker, to put in front of the pool's borrows
	 */
	public DatabaseCircuitBreaker create(String name) {
		return create(name, null);
	}

	/**
	 * Make a breaker for one pool that tells load from an outage by the pool's
	 * connections: an acquire timeout while the pool holds connections is load and never
	 * opens the breaker.
	 * @param name the breaker's name, shown in health, metrics and errors
	 * @param pool the pool the breaker guards (a HikariCP pool, or a DataSource that
	 * unwraps to one), or null when unknown
	 * @return the breaker, to put in front of the pool's borrows
	 */
	public DatabaseCircuitBreaker create(String name, @Nullable DataSource pool) {
		DatabaseCircuitBreaker breaker = new DatabaseCircuitBreaker(name, new Factory(name), this.failureThreshold,
				this.waitDurationInOpenState, pool);
		this.breakers.put(name, breaker);
		return breaker;
	}

	/**
	 * Guard a DataSource of your own with a breaker of its own.
	 * @param name the breaker's name, shown in health, metrics and errors
	 * @param dataSource the DataSource (a pool) to guard
	 * @return the guarded DataSource
	 */
	public CircuitBreakerDataSource wrap(String name, DataSource dataSource) {
		return new CircuitBreakerDataSource(dataSource, create(name, dataSource));
	}

	/**
	 * Return the breakers by name, in the order they were made.
	 * @return a snapshot
	 */
	public Map<String, DatabaseCircuitBreaker> getCircuitBreakers() {
		synchronized (this.breakers) {
			return new LinkedHashMap<>(this.breakers);
		}
	}

	public int getFailureThreshold() {
		return this.failureThreshold;
	}

	public Duration getWaitDurationInOpenState() {
		return this.waitDurationInOpenState;
	}

	/**
	 * Makes one breaker on first need. A class rather than a lambda: a lambda's
	 * implementation method would name resilience4j's types, and linking it would load
	 * them at once.
	 */
	private final class Factory implements Supplier<CircuitBreaker> {

		private final String name;

		Factory(String name) {
			this.name = name;
		}

		@Override
		public CircuitBreaker get() {
			return resilience4j().make(this.name);
		}

	}

	/**
	 * Everything that touches resilience4j, in a class of its own: it is loaded, and
	 * resilience4j's classes with it, only when the first breaker is made.
	 */
	private static final class Resilience4j {

		private final CircuitBreakerConfig config;

		private final int failureThreshold;

		private final Duration waitDurationInOpenState;

		Resilience4j(int failureThreshold, Duration waitDurationInOpenState, int permittedCallsInHalfOpenState) {
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

		CircuitBreaker make(String name) {
			CircuitBreaker circuitBreaker = CircuitBreaker.of(name, this.config);
			circuitBreaker.getEventPublisher()
				.onStateTransition((event) -> logger.warn("pool: circuit breaker of pool '" + name + "' "
						+ event.getStateTransition().getFromState() + " -> " + event.getStateTransition().getToState()
						+ describe(event.getStateTransition().getToState())));
			return circuitBreaker;
		}

		private String describe(CircuitBreaker.State state) {
			return switch (state) {
				case OPEN ->
					": " + this.failureThreshold + " consecutive attempts to get a connection failed; calls fail "
							+ "at once for " + Durations.format(this.waitDurationInOpenState);
				case HALF_OPEN -> ": letting trial calls through";
				case CLOSED -> ": the database is back";
				default -> "";
			};
		}

	}

}
