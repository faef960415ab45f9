package dev.pool.web.reactive;

import java.nio.charset.StandardCharsets;

import dev.pool.Unavailable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers 503 with {@code Retry-After} when a request failed with an {@link Unavailable}
 * failure (an open circuit breaker, a full bulkhead), however it was wrapped, instead of
 * a 500 and a logged stack trace. It runs before Spring Boot's error handler; an
 * {@code @ExceptionHandler} of the application runs earlier still and wins.
 */
public class UnavailableWebExceptionHandler implements WebExceptionHandler, Ordered {

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		Unavailable unavailable = Unavailable.find(ex);
		ServerHttpResponse response = exchange.getResponse();
		if (unavailable == null || response.isCommitted()) {
			return Mono.error(ex);
		}
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, unavailable.getRetryAfterHeader());
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] body = unavailable.getResponseBody().getBytes(StandardCharsets.UTF_8);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	@Override
	public int getOrder() {
		// Spring Boot's ErrorWebExceptionHandler is -1.
		return -2;
	}

}
