package dev.pool.resilience.web.reactive;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import dev.pool.resilience.DatabaseUnavailableException;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers 503 with {@code Retry-After} when a request failed because the database's
 * circuit breaker is open ({@link DatabaseUnavailableException}, however Spring wrapped
 * it). It runs before Spring Boot's error handler; an {@code @ExceptionHandler} of the
 * application runs earlier still and wins.
 */
public class DatabaseUnavailableWebExceptionHandler implements WebExceptionHandler, Ordered {

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		DatabaseUnavailableException unavailable = DatabaseUnavailableException.find(ex);
		ServerHttpResponse response = exchange.getResponse();
		if (unavailable == null || response.isCommitted()) {
			return Mono.error(ex);
		}
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, unavailable.getRetryAfterHeader());
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] body = ("{\"status\":503,\"error\":\"Service Unavailable\",\"reason\":\"database-unavailable\","
				+ "\"message\":\"Database unavailable, retry after " + unavailable.getRetryAfterHeader() + "s\"}")
			.getBytes(StandardCharsets.UTF_8);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	@Override
	public int getOrder() {
		// Spring Boot's ErrorWebExceptionHandler is -1.
		return -2;
	}

}
