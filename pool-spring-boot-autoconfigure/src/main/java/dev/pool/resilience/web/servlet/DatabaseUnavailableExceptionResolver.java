package dev.pool.resilience.web.servlet;

import dev.pool.resilience.DatabaseUnavailableException;
import dev.pool.web.servlet.UnavailableExceptionResolver;

/**
 * Answers 503 with {@code Retry-After} when a request failed because the database's
 * circuit breaker is open ({@link DatabaseUnavailableException}, however Spring wrapped
 * it), and for every other {@link dev.pool.Unavailable} failure. It runs after Spring
 * MVC's own resolvers, so an {@code @ExceptionHandler} of the application wins.
 */
public class DatabaseUnavailableExceptionResolver extends UnavailableExceptionResolver {

}
