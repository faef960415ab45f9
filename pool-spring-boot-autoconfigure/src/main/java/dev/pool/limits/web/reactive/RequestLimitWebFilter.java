package dev.pool.limits.web.reactive;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.pool.limits.RequestLimiter;
import dev.pool.limits.RequestLimiter.Admission;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Serves at most {@code pool.limits.max-concurrent-requests} requests at once in a
 * reactive application, and none while the heap is over {@code pool.limits.max-memory}: a
 * request over the limit gets 503 with {@code Retry-After} at once. A request holds its
 * place until its response completes, fails or is cancelled. Requests under the
 * actuator's base path, and requests served by another application context (a separate
 * management port), are exempt.
 */
public class RequestLimitWebFilter implements WebFilter, Ordered {

	private final RequestLimiter limiter;

	private final @Nullable String exemptPath;

	private final @Nullable ApplicationContext applicationContext;

	private final int order;

	/**
	 * Create a new filter.
	 * @param limiter the limiter
	 * @param exemptPath the path (within the application) whose requests are never
	 * limited, such as {@code /actuator}, or null
	 * @param applicationContext the context whose server this filter limits, or null to
	 * limit every server the filter is used by
	 * @param order the filter's order
	 */
	public RequestLimitWebFilter(RequestLimiter limiter, @Nullable String exemptPath,
			@Nullable ApplicationContext applicationContext, int order) {
		this.limiter = limiter;
		this.exemptPath = exemptPath;
		this.applicationContext = applicationContext;
		this.order = order;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (isExempt(exchange)) {
			return chain.filter(exchange);
		}
		return Mono.defer(() -> {
			Admission admission = this.limiter.tryAcquire();
			if (admission != Admission.ADMITTED) {
				return reject(exchange.getResponse(), admission);
			}
			AtomicBoolean released = new AtomicBoolean();
			return chain.filter(exchange).doFinally((signal) -> {
				if (released.compareAndSet(false, true)) {
					this.limiter.release();
				}
			});
		});
	}

	private boolean isExempt(ServerWebExchange exchange) {
		ApplicationContext served = exchange.getApplicationContext();
		if (this.applicationContext != null && served != null && served != this.applicationContext) {
			return true;
		}
		if (this.exemptPath == null) {
			return false;
		}
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		return path.equals(this.exemptPath) || path.startsWith(this.exemptPath + "/");
	}

	private Mono<Void> reject(ServerHttpResponse response, Admission admission) {
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, this.limiter.getRetryAfterHeader());
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		DataBuffer body = response.bufferFactory()
			.wrap(this.limiter.getRejectionBody(admission).getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(body));
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
