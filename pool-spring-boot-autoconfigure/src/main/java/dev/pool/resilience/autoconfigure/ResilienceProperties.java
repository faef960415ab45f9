package dev.pool.resilience.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * The {@code pool.resilience.*} keys: the circuit breaker around getting a database
 * connection.
 */
@ConfigurationProperties("pool.resilience")
public class ResilienceProperties {

	/**
	 * Whether a database that keeps refusing connections makes callers fail at once
	 * (circuit breaker) instead of each waiting pool.acquire-timeout.
	 */
	private boolean enabled = true;

	/**
	 * Consecutive failed attempts to get a connection after which the breaker opens and
	 * callers fail at once.
	 */
	private int failureThreshold = 5;

	/**
	 * How long the breaker stays open (callers fail at once) before trial calls may try
	 * the database again.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration waitDurationInOpenState = Duration.ofSeconds(10);

	/**
	 * Trial calls let through once the open-state wait is over; the breaker closes when
	 * one of them gets a connection, and opens again when all fail.
	 */
	private int permittedCallsInHalfOpenState = 1;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getFailureThreshold() {
		return this.failureThreshold;
	}

	public void setFailureThreshold(int failureThreshold) {
		this.failureThreshold = failureThreshold;
	}

	public Duration getWaitDurationInOpenState() {
		return this.waitDurationInOpenState;
	}

	public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
		this.waitDurationInOpenState = waitDurationInOpenState;
	}

	public int getPermittedCallsInHalfOpenState() {
		return this.permittedCallsInHalfOpenState;
	}

	public void setPermittedCallsInHalfOpenState(int permittedCallsInHalfOpenState) {
		this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
	}

}
