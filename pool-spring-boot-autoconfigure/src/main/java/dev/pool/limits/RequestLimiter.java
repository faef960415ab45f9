package dev.pool.limits;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import org.jspecify.annotations.Nullable;

/**
 * Admits inbound requests: at most {@code pool.limits.max-concurrent-requests} at once (a
 * resilience4j {@link Bulkhead} that never waits) when that key is set, and none while
 * the heap is over {@code pool.limits.max-memory} when that one is. A request that is not
 * admitted is answered at once with 503 by the web filters; every admitted request must
 * be {@link #release() released} exactly once.
 */
public class RequestLimiter {

	private final @Nullable Bulkhead bulkhead;

	private final @Nullable Integer maxConcurrentRequests;

	private final @Nullable MemoryGuard memoryGuard;

	private final Duration retryAfter;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final LongAdder rejectedBusy = new LongAdder();

	private final LongAdder rejectedMemory = new LongAdder();

	/**
	 * Create a new limiter.
	 * @param maxConcurrentRequests requests served at once, or null for no limit on the
	 * count
	 * @param memoryGuard the heap limit, or null when there is none
	 * @param retryAfter the wait suggested to a refused client
	 */
	public RequestLimiter(@Nullable Integer maxConcurrentRequests, @Nullable MemoryGuard memoryGuard,
			Duration retryAfter) {
		this.bulkhead = (maxConcurrentRequests != null) ? Bulkhead.of("pool.limits",
				BulkheadConfig.custom()
					.maxConcurrentCalls(maxConcurrentRequests)
					.maxWaitDuration(Duration.ZERO)
					.writableStackTraceEnabled(false)
					.build())
				: null;
		this.maxConcurrentRequests = maxConcurrentRequests;
		this.memoryGuard = memoryGuard;
		this.retryAfter = retryAfter;
	}

	/**
	 * Try to admit a request, without waiting.
	 * @return {@link Admission#ADMITTED}, or why the request is refused
	 */
	public Admission tryAcquire() {
		if (this.memoryGuard != null && this.memoryGuard.isOverLimit()) {
			this.rejectedMemory.increment();
			return Admission.REFUSED_MEMORY;
		}
		if (this.bulkhead != null && !this.bulkhead.tryAcquirePermission()) {
			this.rejectedBusy.increment();
			return Admission.REFUSED_BUSY;
		}
		this.inFlight.incrementAndGet();
		return Admission.ADMITTED;
	}

	/**
	 * Release the place of an admitted request that has finished.
	 */
	public void release() {
		this.inFlight.decrementAndGet();
		if (this.bulkhead != null) {
			this.bulkhead.onComplete();
		}
	}

	/**
	 * Return the requests being served now.
	 * @return the admitted requests not yet released
	 */
	public int getInFlight() {
		return this.inFlight.get();
	}

	/**
	 * Return the request limit.
	 * @return requests served at once, or null when only the heap limit is set
	 */
	public @Nullable Integer getMaxConcurrentRequests() {
		return this.maxConcurrentRequests;
	}

	/**
	 * Return the requests refused because {@code max-concurrent-requests} were in flight.
	 * @return the count since start
	 */
	public long getRejectedBusy() {
		return this.rejectedBusy.sum();
	}

	/**
	 * Return the requests refused because the heap was over {@code max-memory}.
	 * @return the count since start
	 */
	public long getRejectedMemory() {
		return this.rejectedMemory.sum();
	}

	/**
	 * Return the wait suggested to a refused client ({@code Retry-After}).
	 * @return the wait
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * Return the {@code Retry-After} header value: whole seconds, at least 1.
	 * @return the seconds
	 */
	public String getRetryAfterHeader() {
		return String.valueOf(Math.max(1, (this.retryAfter.toMillis() + 999) / 1000));
	}

	/**
	 * Return the short JSON body of a 503 answer.
	 * @param admission why the request was refused
	 * @return the body
	 */
	public String getRejectionBody(Admission admission) {
		String reason = (admission == Admission.REFUSED_MEMORY) ? "memory" : "busy";
		String message = (admission == Admission.REFUSED_MEMORY) ? "Server is short of memory"
				: "Too many concurrent requests";
		return "{\"status\":503,\"error\":\"Service Unavailable\",\"reason\":\"" + reason + "\",\"message\":\""
				+ message + ", retry after " + getRetryAfterHeader() + "s\"}";
	}

	/**
	 * Whether a request is admitted, and if not, why.
	 */
	public enum Admission {

		/** Admitted: release it when it is done. */
		ADMITTED,

		/** Refused: {@code max-concurrent-requests} requests are in flight. */
		REFUSED_BUSY,

		/** Refused: the heap is over {@code max-memory}. */
		REFUSED_MEMORY

	}

}
