package dev.pool.limits.metrics;

import dev.pool.limits.MemoryGuard;
import dev.pool.limits.RequestLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The {@code pool.limits.*} meters: requests in flight and refused, and the heap against
 * {@code max-memory}. The {@code cpuTaskExecutor}'s meters ({@code executor.*}, tag
 * {@code name=cpuTaskExecutor}) come from Spring Boot's task executor metrics, like those
 * of any {@code ThreadPoolTaskExecutor} bean.
 */
public class LimitsMetrics implements MeterBinder {

	private final @Nullable RequestLimiter requestLimiter;

	private final @Nullable MemoryGuard memoryGuard;

	/**
	 * Create a new binder; each part may be null.
	 * @param requestLimiter the request limiter of a web application
	 * @param memoryGuard the heap guard
	 */
	public LimitsMetrics(@Nullable RequestLimiter requestLimiter, @Nullable MemoryGuard memoryGuard) {
		this.requestLimiter = requestLimiter;
		this.memoryGuard = memoryGuard;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		RequestLimiter requests = this.requestLimiter;
		if (requests != null) {
			Gauge.builder("pool.limits.requests.in-flight", requests, RequestLimiter::getInFlight)
				.description("Inbound requests being served")
				.register(registry);
			if (requests.getMaxConcurrentRequests() != null) {
				Gauge.builder("pool.limits.requests.max", requests, RequestLimiter::getMaxConcurrentRequests)
					.description("Inbound requests served at once (pool.limits.max-concurrent-requests)")
					.register(registry);
			}
			FunctionCounter.builder("pool.limits.requests.rejected", requests, RequestLimiter::getRejectedBusy)
				.description("Inbound requests refused with 503")
				.tag("reason", "busy")
				.register(registry);
			FunctionCounter.builder("pool.limits.requests.rejected", requests, RequestLimiter::getRejectedMemory)
				.description("Inbound requests refused with 503")
				.tag("reason", "memory")
				.register(registry);
		}
		MemoryGuard memory = this.memoryGuard;
		if (memory != null) {
			Gauge.builder("pool.limits.memory.over-limit", memory, (guard) -> guard.isOverLimit() ? 1 : 0)
				.description("1 while the heap in use after GC is over pool.limits.max-memory, else 0")
				.register(registry);
			Gauge.builder("pool.limits.memory.max", memory, MemoryGuard::getLimit)
				.description("Heap in use after GC above which requests are refused (pool.limits.max-memory)")
				.baseUnit("bytes")
				.register(registry);
		}
	}

}
