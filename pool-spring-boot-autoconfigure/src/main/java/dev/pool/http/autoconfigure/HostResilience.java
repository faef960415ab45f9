package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import dev.pool.Durations;
import dev.pool.http.HostUnavailableException;
import dev.pool.http.PooledWebClientCustomizer;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Puts a resilience4j circuit breaker and bulkhead in front of each named client, so that
 * a failing or slow host fails fast instead of filling its pool's pending queue. Errors
 * and 5xx responses count as failures. The bulkhead holds a place from the call until the
 * response headers arrive. A call refused by either fails with
 * {@link HostUnavailableException} (503 in web applications); each change of a breaker's
 * state is logged once, as a WARN.
 */
final class HostResilience implements PooledWebClientCustomizer, HttpPoolObservations.ResilienceStates {

	private static final Log logger = LogFactory.getLog(HostResilience.class);

	/** The {@code Retry-After} of a call refused by a full bulkhead. */
	static final Duration BULKHEAD_RETRY_AFTER = Duration.ofSeconds(1);

	private final Map<String, HttpPoolProperties.Host> hosts;

	private final Map<String, CircuitBreaker> circuitBreakers = new ConcurrentHashMap<>();

	private final Map<String, Bulkhead> bulkheads = new ConcurrentHashMap<>();

	/**
	 * Make each host's circuit breaker and bulkhead now, though its client is built on
	 * first use: health and the meters show them (closed, every place free) from start-up
	 * on.
	 */
	HostResilience(Map<String, HttpPoolProperties.Host> hosts, Map<String, HttpPoolSettings> settings) {
		this.hosts = hosts;
		hosts.forEach((name, host) -> {
			if (settings.containsKey(name)) {
				if (host.getBulkhead().isEnabled()) {
					this.bulkheads.put(name,
							Bulkhead.of("pool.http." + name, bulkheadConfig(host.getBulkhead(), settings.get(name))));
				}
				if (host.getCircuitBreaker().isEnabled()) {
					this.circuitBreakers.put(name, circuitBreaker(name, host.getCircuitBreaker()));
				}
			}
		});
	}

	@Override
	public void customize(String name, WebClient.Builder builder) {
		HttpPoolProperties.Host host = this.hosts.get(name);
		if (host == null) {
			return;
		}
		Bulkhead bulkhead = this.bulkheads.get(name);
		if (bulkhead != null) {
			builder.filter(filter(BulkheadOperator.of(bulkhead)));
		}
		CircuitBreaker circuitBreaker = this.circuitBreakers.get(name);
		if (circuitBreaker != null) {
			builder.filter(filter(CircuitBreakerOperator.of(circuitBreaker)));
		}
		Duration openWait = host.getCircuitBreaker().getWaitDurationInOpenState();
		// First in the chain, so that it sees what the breaker and the bulkhead refused.
		builder.filters((filters) -> filters.add(0,
				(request, next) -> next.exchange(request)
					.onErrorMap(CallNotPermittedException.class,
							(ex) -> new HostUnavailableException(name, true, openWait, ex))
					.onErrorMap(BulkheadFullException.class,
							(ex) -> new HostUnavailableException(name, false, BULKHEAD_RETRY_AFTER, ex))));
	}

	private CircuitBreaker circuitBreaker(String name, HttpPoolProperties.CircuitBreaker properties) {
		CircuitBreaker circuitBreaker = CircuitBreaker.of("pool.http." + name, circuitBreakerConfig(properties));
		circuitBreaker.getEventPublisher()
			.onStateTransition(
					(event) -> logger.warn("pool: circuit breaker of HTTP host '" + name + "' went "
							+ event.getStateTransition().getFromState() + " -> "
							+ event.getStateTransition().getToState()
							+ ((event.getStateTransition().getToState() == CircuitBreaker.State.OPEN)
									? ": calls fail at once (503 in web requests) for "
											+ Durations.format(properties.getWaitDurationInOpenState())
											+ ", then trial calls (pool.http.hosts." + name + ".circuit-breaker.*)"
									: "")));
		return circuitBreaker;
	}

	/**
	 * Return the circuit breaker of a host.
	 * @param name the host's name
	 * @return its circuit breaker, or null when it has none
	 */
	@Nullable CircuitBreaker circuitBreaker(String name) {
		return this.circuitBreakers.get(name);
	}

	/**
	 * Return the bulkhead of a host.
	 * @param name the host's name
	 * @return its bulkhead, or null when it has none
	 */
	@Nullable Bulkhead bulkhead(String name) {
		return this.bulkheads.get(name);
	}

	@Override
	public String circuitBreakerState(String host) {
		CircuitBreaker circuitBreaker = circuitBreaker(host);
		return (circuitBreaker != null) ? circuitBreaker.getState().name() : null;
	}

	@Override
	public Integer bulkheadAvailable(String host) {
		Bulkhead bulkhead = bulkhead(host);
		return (bulkhead != null) ? bulkhead.getMetrics().getAvailableConcurrentCalls() : null;
	}

	static CircuitBreakerConfig circuitBreakerConfig(HttpPoolProperties.CircuitBreaker properties) {
		CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.recordResult(HostResilience::isServerError);
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getFailureRateThreshold).to(builder::failureRateThreshold);
		map.from(properties::getMinimumNumberOfCalls).to(builder::minimumNumberOfCalls);
		map.from(properties::getSlidingWindowSize).to(builder::slidingWindowSize);
		map.from(properties::getWaitDurationInOpenState).to(builder::waitDurationInOpenState);
		map.from(properties::getPermittedNumberOfCallsInHalfOpenState)
			.to(builder::permittedNumberOfCallsInHalfOpenState);
		return builder.build();
	}

	static BulkheadConfig bulkheadConfig(HttpPoolProperties.Bulkhead properties, HttpPoolSettings settings) {
		BulkheadConfig.Builder builder = BulkheadConfig.custom();
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getMaxConcurrentCalls)
			.orFrom(() -> settings.maxConnections().value())
			.to(builder::maxConcurrentCalls);
		map.from(properties::getMaxWaitDuration).to(builder::maxWaitDuration);
		return builder.build();
	}

	private static boolean isServerError(Object result) {
		return result instanceof ClientResponse response && response.statusCode().is5xxServerError();
	}

	private static ExchangeFilterFunction filter(UnaryOperator<Publisher<ClientResponse>> operator) {
		return (request, next) -> next.exchange(request).transformDeferred(operator);
	}

}
