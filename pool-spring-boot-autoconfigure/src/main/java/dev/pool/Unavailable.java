package dev.pool;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A failure that means "try again later", not "the server is broken": a circuit breaker
 * that is open, a bulkhead that is full. Web applications answer it with 503 and
 * {@code Retry-After}, wrapped or not, instead of 500 with a stack trace.
 */
public interface Unavailable {

	/**
	 * Return the reason, a short token for the body of the 503 answer.
	 * @return the reason, such as {@code database-unavailable}
	 */
	String getReason();

	/**
	 * Return what the client is told, without names or credentials of the application.
	 * @return a short sentence without a full stop
	 */
	String getClientMessage();

	/**
	 * Return how long a client should wait before it tries again.
	 * @return the wait
	 */
	Duration getRetryAfter();

	/**
	 * Return the {@code Retry-After} value: {@link #getRetryAfter()} in whole seconds, at
	 * least 1.
	 * @return the header value
	 */
	default String getRetryAfterHeader() {
		return String.valueOf(Math.max(1, (getRetryAfter().toMillis() + 999) / 1000));
	}

	/**
	 * Return the short JSON body of the 503 answer.
	 * @return the body
	 */
	default String getResponseBody() {
		return "{\"status\":503,\"error\":\"Service Unavailable\",\"reason\":\"" + getReason() + "\",\"message\":\""
				+ getClientMessage() + ", retry after " + getRetryAfterHeader() + "s\"}";
	}

	/**
	 * Find such a failure in a chain of causes, however it was wrapped.
	 * @param ex any exception
	 * @return the failure, or null if the chain has none
	 */
	static @Nullable Unavailable find(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof Unavailable unavailable) {
				return unavailable;
			}
		}
		return null;
	}

}
