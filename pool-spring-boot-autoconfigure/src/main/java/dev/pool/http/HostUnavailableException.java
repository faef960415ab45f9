package dev.pool.http;

import java.time.Duration;

import dev.pool.Durations;
import dev.pool.Unavailable;

/**
 * Thrown by a named client ({@code pool.http.hosts.<name>}) when its circuit breaker is
 * open or its bulkhead is full: the call is not made. The resilience4j exception
 * ({@code CallNotPermittedException}, {@code BulkheadFullException}) is the cause. Web
 * applications answer it with 503 and {@code Retry-After}, wrapped or not; it carries no
 * stack trace of its own, as it is expected under load and says all in its message.
 */
public class HostUnavailableException extends RuntimeException implements Unavailable {

	private final String host;

	private final boolean circuitOpen;

	private final Duration retryAfter;

	/**
	 * Create a new exception.
	 * @param host the name of the host
	 * @param circuitOpen true when the circuit breaker is open, false when the bulkhead
	 * is full
	 * @param retryAfter how long a client should wait before it tries again
	 * @param cause the resilience4j exception
	 */
	public HostUnavailableException(String host, boolean circuitOpen, Duration retryAfter, Throwable cause) {
		super(message(host, circuitOpen, retryAfter), cause, false, false);
		this.host = host;
		this.circuitOpen = circuitOpen;
		this.retryAfter = retryAfter;
	}

	private static String message(String host, boolean circuitOpen, Duration retryAfter) {
		String keys = "pool.http.hosts." + host;
		return circuitOpen
				? "HTTP host '" + host + "' is unavailable: its circuit breaker is open, so calls fail at once; a call "
						+ "tries again after up to " + Durations.format(retryAfter) + " (" + keys
						+ ".circuit-breaker.*)"
				: "HTTP host '" + host + "' is busy: its bulkhead is full, so the call was not made (" + keys
						+ ".bulkhead.max-concurrent-calls)";
	}

	/**
	 * Return the name of the host.
	 * @return the name under {@code pool.http.hosts}
	 */
	public String getHost() {
		return this.host;
	}

	/**
	 * Whether the host's circuit breaker is open (else its bulkhead is full).
	 * @return true for an open circuit breaker
	 */
	public boolean isCircuitOpen() {
		return this.circuitOpen;
	}

	@Override
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	@Override
	public String getReason() {
		return this.circuitOpen ? "upstream-unavailable" : "upstream-busy";
	}

	@Override
	public String getClientMessage() {
		return this.circuitOpen ? "Upstream service unavailable" : "Upstream service busy";
	}

}
