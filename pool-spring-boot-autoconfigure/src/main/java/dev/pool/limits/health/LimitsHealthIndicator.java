package dev.pool.limits.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.limits.MemoryGuard;
import dev.pool.limits.RequestLimiter;
import dev.pool.limits.ResourceLimits;
import dev.pool.resilience.DatabaseCircuitBreakers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.unit.DataSize;

/**
 * The {@code limits} health: requests in flight and refused, the heap against
 * {@code max-memory}, and the state of each database circuit breaker. It is always UP:
 * load is not ill health (a saturated server shows it in the details), a heap over the
 * limit turns readiness OUT_OF_SERVICE (not liveness), and an unreachable database is the
 * JDBC health's to report.
 */
public class LimitsHealthIndicator extends AbstractHealthIndicator {

	private final ResourceLimits limits;

	private final ObjectProvider<RequestLimiter> requestLimiter;

	private final ObjectProvider<MemoryGuard> memoryGuard;

	private final ObjectProvider<DatabaseCircuitBreakers> circuitBreakers;

	/**
	 * Create a new indicator.
	 * @param limits the effective limits
	 * @param requestLimiter the request limiter of a web application, if any
	 * @param memoryGuard the heap guard, if {@code max-memory} is set
	 * @param circuitBreakers the database circuit breakers, if any
	 */
	public LimitsHealthIndicator(ResourceLimits limits, ObjectProvider<RequestLimiter> requestLimiter,
			ObjectProvider<MemoryGuard> memoryGuard, ObjectProvider<DatabaseCircuitBreakers> circuitBreakers) {
		super("Limits health check failed");
		this.limits = limits;
		this.requestLimiter = requestLimiter;
		this.memoryGuard = memoryGuard;
		this.circuitBreakers = circuitBreakers;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up();
		RequestLimiter requests = this.requestLimiter.getIfAvailable();
		if (requests != null) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("inFlight", requests.getInFlight());
			details.put("max",
					(requests.getMaxConcurrentRequests() != null) ? requests.getMaxConcurrentRequests() : "OFF");
			details.put("rejectedBusy", requests.getRejectedBusy());
			details.put("rejectedMemory", requests.getRejectedMemory());
			builder.withDetail("requests", details);
		}
		MemoryGuard memory = this.memoryGuard.getIfAvailable();
		Map<String, Object> memoryDetails = new LinkedHashMap<>();
		if (memory != null) {
			memoryDetails.put("state", memory.isOverLimit() ? "OVER_LIMIT" : "OK");
			memoryDetails.put("max", megabytes(memory.getLimit()));
			if (memory.getHeapUsedAfterGc() >= 0) {
				memoryDetails.put("usedAfterGc", megabytes(memory.getHeapUsedAfterGc()));
			}
		}
		else {
			memoryDetails.put("state", "OFF");
		}
		builder.withDetail("memory", memoryDetails);
		builder.withDetail("maxBatchSize",
				(this.limits.getMaxBatchSize() != null) ? this.limits.getMaxBatchSize() : "OFF");
		DatabaseCircuitBreakers breakers = this.circuitBreakers.getIfAvailable();
		if (breakers != null) {
			Map<String, Object> states = new LinkedHashMap<>();
			breakers.getCircuitBreakers().forEach((name, dataSource) -> states.put(name, dataSource.getStateName()));
			builder.withDetail("databaseCircuitBreakers", states);
		}
	}

	private static String megabytes(long bytes) {
		return DataSize.ofBytes(bytes).toMegabytes() + "MB";
	}

}
