package dev.pool.resilience.web.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.pool.resilience.DatabaseUnavailableException;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers 503 with {@code Retry-After} when a request failed because the database's
 * circuit breaker is open ({@link DatabaseUnavailableException}, however Spring wrapped
 * it). It runs after Spring MVC's own resolvers, so an {@code @ExceptionHandler} of the
 * application wins.
 */
public class DatabaseUnavailableExceptionResolver implements HandlerExceptionResolver, Ordered {

	@Override
	public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		DatabaseUnavailableException unavailable = DatabaseUnavailableException.find(ex);
		if (unavailable == null || response.isCommitted()) {
			return null;
		}
		try {
			response.reset();
			response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
			response.setHeader(HttpHeaders.RETRY_AFTER, unavailable.getRetryAfterHeader());
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getOutputStream().write(body(unavailable).getBytes(StandardCharsets.UTF_8));
			return new ModelAndView();
		}
		catch (IOException ioException) {
			return null;
		}
	}

	/**
	 * Return the short JSON body of the 503 answer.
	 * @param unavailable the failure
	 * @return the body
	 */
	static String body(DatabaseUnavailableException unavailable) {
		return "{\"status\":503,\"error\":\"Service Unavailable\",\"reason\":\"database-unavailable\","
				+ "\"message\":\"Database unavailable, retry after " + unavailable.getRetryAfterHeader() + "s\"}";
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

}
