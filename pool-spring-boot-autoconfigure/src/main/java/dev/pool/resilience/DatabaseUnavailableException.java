package dev.pool.resilience;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import dev.pool.Durations;
import dev.pool.Unavailable;
import org.jspecify.annotations.Nullable;

/**
 * Thrown at once, instead of waiting {@code pool.acquire-timeout}, when a connection is
 * asked for while the database's circuit breaker is open: the last connection attempts
 * all failed. It is an {@link SQLTransientConnectionException} (SQLState {@code 08001}),
 * so Spring wraps it as it wraps any failure to get a connection
 * ({@code CannotGetJdbcConnectionException}); web applications answer 503 with
 * {@code Retry-After} for it, wrapped or not.
 */
public class DatabaseUnavailableException extends SQLTransientConnectionException implements Unavailable {

	private final String dataSourceName;

	private final Duration retryAfter;

	/**
	 * Create a new exception.
	 * @param dataSourceName the name of the pool: a DataSource's bean name
	 * ({@code bean.role} for one pool of a read/write pair), or an R2DBC connection
	 * factory's
	 * @param failures the consecutive connection failures that opened the breaker
	 * @param retryAfter how long the breaker stays open before it lets a call try again
	 */
	public DatabaseUnavailableException(String dataSourceName, int failures, Duration retryAfter) {
		super("Database of pool '" + dataSourceName + "' is unavailable: the last " + failures
				+ " attempts to get a connection failed, so calls fail at once instead of waiting "
				+ "pool.acquire-timeout; a call tries again after " + Durations.format(retryAfter)
				+ " (pool.resilience.wait-duration-in-open-state)", "08001");
		this.dataSourceName = dataSourceName;
		this.retryAfter = retryAfter;
	}

	public String getDataSourceName() {
		return this.dataSourceName;
	}

	/**
	 * Return how long the breaker stays open before it lets a call try again.
	 * @return the open-state wait
	 */
	@Override
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	@Override
	public String getReason() {
		return "database-unavailable";
	}

	@Override
	public String getClientMessage() {
		return "Database unavailable";
	}

	/**
	 * Find the exception in a chain of causes, however Spring wrapped it.
	 * @param ex any exception
	 * @return the exception, or null if the chain has none
	 */
	public static @Nullable DatabaseUnavailableException find(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof DatabaseUnavailableException unavailable) {
				return unavailable;
			}
		}
		return null;
	}

}
