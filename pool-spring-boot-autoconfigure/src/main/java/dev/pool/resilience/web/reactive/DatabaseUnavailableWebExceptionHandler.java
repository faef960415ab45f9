package dev.pool.resilience.web.reactive;

import dev.pool.resilience.DatabaseUnavailableException;
import dev.pool.web.reactive.UnavailableWebExceptionHandler;

/**
 * Answers 503 with {@code Retry-After} when a request failed because the database's
 * circuit breaker is open ({@link DatabaseUnavailableException}, however Spring wrapped
 * it), and for every other {@link dev.pool.Unavailable} failure. It runs before Spring
 * Boot's error handler; an {@code @ExceptionHandler} of the application runs earlier still
 * and wins.
 */
public class DatabaseUnavailableWebExceptionHandler extends UnavailableWebExceptionHandler {

}
