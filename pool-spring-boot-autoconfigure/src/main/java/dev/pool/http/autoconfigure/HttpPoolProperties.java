package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * The {@code pool.http.*} keys: the connection pool behind Spring Boot's
 * {@code WebClient.Builder} (named {@code default}), and named clients under
 * {@code pool.http.hosts.<name>.*}, each with a pool of its own.
 */
@ConfigurationProperties("pool.http")
public class HttpPoolProperties extends HttpPoolSettingsProperties {

	/**
	 * Whether to tune the connection pool behind Spring Boot's WebClient.Builder and make
	 * the named clients. When false, WebClient is left exactly as Spring Boot makes it.
	 */
	private boolean enabled = true;

	/**
	 * Named clients, each a WebClient with a base URL and a pool of its own. Every
	 * pool.http key may be set per host; unset keys take the value of pool.http.
	 */
	private final Map<String, Host> hosts = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, Host> getHosts() {
		return this.hosts;
	}

	/**
	 * A named client: a base URL, its own pool, a circuit breaker and a bulkhead.
	 */
	public static class Host extends HttpPoolSettingsProperties {

		/**
		 * Base URL of the host, for example https://api.example.com/v1. Credentials in it
		 * are never logged.
		 */
		private @Nullable String baseUrl;

		/**
		 * Circuit breaker of the host (when resilience4j is on the class path).
		 */
		private final CircuitBreaker circuitBreaker = new CircuitBreaker();

		/**
		 * Bulkhead of the host (when resilience4j is on the class path).
		 */
		private final Bulkhead bulkhead = new Bulkhead();

		public @Nullable String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(@Nullable String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public CircuitBreaker getCircuitBreaker() {
			return this.circuitBreaker;
		}

		public Bulkhead getBulkhead() {
			return this.bulkhead;
		}

	}

	/**
	 * A count-based circuit breaker: once enough calls were made, a failure rate at or
	 * above the threshold opens it, and calls fail at once until the wait is over.
	 */
	public static class CircuitBreaker {

		/**
		 * Whether calls to the host go through a circuit breaker.
		 */
		private boolean enabled = true;

		/**
		 * Failure rate, in percent of the calls in the sliding window, at which the
		 * circuit opens. Errors and 5xx responses are failures.
		 */
		private float failureRateThreshold = 50;

		/**
		 * Calls that must have been made before the failure rate is computed.
		 */
		private int minimumNumberOfCalls = 10;

		/**
		 * Most recent calls the failure rate is computed over.
		 */
		private int slidingWindowSize = 20;

		/**
		 * How long the circuit stays open (calls fail at once) before trial calls are let
		 * through.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration waitDurationInOpenState = Duration.ofSeconds(30);

		/**
		 * Trial calls let through once the wait is over; their outcome closes or reopens
		 * the circuit.
		 */
		private int permittedNumberOfCallsInHalfOpenState = 3;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
		}

		public int getMinimumNumberOfCalls() {
			return this.minimumNumberOfCalls;
		}

		public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
			this.minimumNumberOfCalls = minimumNumberOfCalls;
		}

		public int getSlidingWindowSize() {
			return this.slidingWindowSize;
		}

		public void setSlidingWindowSize(int slidingWindowSize) {
			this.slidingWindowSize = slidingWindowSize;
		}

		public Duration getWaitDurationInOpenState() {
			return this.waitDurationInOpenState;
		}

		public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
			this.waitDurationInOpenState = waitDurationInOpenState;
		}

		public int getPermittedNumberOfCallsInHalfOpenState() {
			return this.permittedNumberOfCallsInHalfOpenState;
		}

		public void setPermittedNumberOfCallsInHalfOpenState(int permittedNumberOfCallsInHalfOpenState) {
			this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
		}

	}

	/**
	 * A bulkhead: at most so many calls to the host at once; the next fails at once
	 * instead of waiting in the pool's pending queue.
	 */
	public static class Bulkhead {

		/**
		 * Whether calls to the host go through a bulkhead.
		 */
		private boolean enabled = true;

		/**
		 * Calls to the host in flight at once. Defaults to the host's max-connections, so
		 * no call waits for a connection.
		 */
		private @Nullable Integer maxConcurrentCalls;

		/**
		 * How long a call waits for a free place before it fails (0 = fail at once).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration maxWaitDuration = Duration.ZERO;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Integer getMaxConcurrentCalls() {
			return this.maxConcurrentCalls;
		}

		public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
			this.maxConcurrentCalls = maxConcurrentCalls;
		}

		public Duration getMaxWaitDuration() {
			return this.maxWaitDuration;
		}

		public void setMaxWaitDuration(Duration maxWaitDuration) {
			this.maxWaitDuration = maxWaitDuration;
		}

	}

}
