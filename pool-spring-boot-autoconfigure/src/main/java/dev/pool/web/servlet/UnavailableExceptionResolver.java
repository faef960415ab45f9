package dev.pool.web.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.pool.Unavailable;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers 503 with {@code Retry-After} when a request failed with an {@link Unavailable}
 * failure (an open circuit breaker, a full bulkhead), however Spring wrapped it, instead
 * of a 500 and a logged stack trace. It runs after Spring MVC's own resolvers, so an
 * {@code @ExceptionHandler} of the application wins.
 */
public class UnavailableExceptionResolver implements HandlerExceptionResolver, Ordered {

	@Override
	public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		Unavailable unavailable = Unavailable.find(ex);
		if (unavailable == null || response.isCommitted()) {
			return null;
		}
		try {
			response.reset();
			response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
			response.setHeader(HttpHeaders.RETRY_AFTER, unavailable.getRetryAfterHeader());
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getOutputStream().write(unavailable.getResponseBody().getBytes(StandardCharsets.UTF_8));
			return new ModelAndView();
		}
		catch (IOException ioException) {
			return null;
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

}
