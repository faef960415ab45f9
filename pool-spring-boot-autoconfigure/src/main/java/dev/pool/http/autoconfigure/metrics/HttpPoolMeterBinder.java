package dev.pool.http.autoconfigure.metrics;

import java.util.function.ToDoubleFunction;

import dev.pool.http.HttpPoolDescription;
import dev.pool.http.HttpPoolStats;
import dev.pool.http.autoconfigure.HttpPoolObservations;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The starter's {@code pool.http.*} meters, beside Reactor Netty's
 * {@code reactor.netty.connection.provider.*}: reuse and recycling, which those lack, and
 * each host's circuit breaker, tagged with the pool's name ({@code pool}).
 */
class HttpPoolMeterBinder implements MeterBinder {

	private final HttpPoolObservations observations;

	HttpPoolMeterBinder(HttpPoolObservations observations) {
		this.observations = observations;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (HttpPoolDescription pool : this.observations.describe()) {
			String name = pool.name();
			Tags tags = Tags.of("pool", name);
			counter(registry, "pool.http.acquisitions", "Connections handed to requests", tags, name,
					HttpPoolStats::acquired);
			counter(registry, "pool.http.connections.opened", "TCP connections opened", tags, name,
					HttpPoolStats::created);
			counter(registry, "pool.http.connections.recycled", "Connections closed after max-idle-time",
					tags.and("reason", "idle"), name, HttpPoolStats::closedIdle);
			counter(registry, "pool.http.connections.recycled", "Connections closed after max-life-time",
					tags.and("reason", "life"), name, HttpPoolStats::closedLife);
			Gauge.builder("pool.http.reuse.ratio", this, (binder) -> binder.stat(name, HttpPoolStats::reuseRate))
				.description("Share of requests served by a connection that was already open")
				.tags(tags)
				.register(registry);
			if (pool.circuitBreaker() != null) {
				Gauge.builder("pool.http.circuit.breaker.open", this, (binder) -> binder.open(name))
					.description("1 while the host's circuit breaker is open (calls fail fast), else 0")
					.tags(tags)
					.register(registry);
			}
		}
	}

	private void counter(MeterRegistry registry, String meter, String description, Tags tags, String name,
			ToDoubleFunction<HttpPoolStats> value) {
		FunctionCounter.builder(meter, this, (binder) -> binder.stat(name, value))
			.description(description)
			.tags(tags)
			.register(registry);
	}

	private double stat(String name, ToDoubleFunction<HttpPoolStats> value) {
		return this.observations.describe()
			.stream()
			.filter((pool) -> pool.name().equals(name) && pool.stats() != null)
			.mapToDouble((pool) -> value.applyAsDouble(pool.stats()))
			.findFirst()
			.orElse(0.0);
	}

	private double open(String name) {
		return this.observations.describe()
			.stream()
			.anyMatch((pool) -> pool.name().equals(name) && "OPEN".equals(pool.circuitBreaker())) ? 1.0 : 0.0;
	}

}
