package dev.pool.limits.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * The {@code pool.limits.*} keys: how much work the application takes on at once.
 */
@ConfigurationProperties("pool.limits")
public class LimitsProperties {

	/**
	 * Whether to apply the resource limits: request limits, the heap limit, batch
	 * splitting, the @Async queue bound and the CPU executor. Each limit refuses nothing
	 * until its own key is set.
	 */
	private boolean enabled = true;

	/**
	 * Inbound requests served at once; the next gets 503 with Retry-After at once.
	 * Actuator endpoints are exempt. Unset: no request is refused for being one too many.
	 */
	private @Nullable Integer maxConcurrentRequests;

	/**
	 * Heap in use after garbage collection above which new requests get 503 and readiness
	 * goes OUT_OF_SERVICE, until it drops again. Unset: no heap limit.
	 */
	private @Nullable DataSize maxMemory;

	/**
	 * Largest batch sent in one JDBC batch. When set, the JdbcTemplate (and JdbcClient
	 * and NamedParameterJdbcTemplate on top of it) sends larger batch updates in chunks
	 * of this size. Unset: JdbcTemplate is Spring Boot's own and batches are sent as
	 * given.
	 */
	private @Nullable Integer maxBatchSize;

	/**
	 * Threads of the cpuTaskExecutor bean for CPU-heavy work. Defaults to the number of
	 * available processors.
	 */
	private @Nullable Integer cpuThreads;

	/**
	 * Tasks that may wait for a thread of the cpuTaskExecutor bean; the next is rejected
	 * with a clear error.
	 */
	private int cpuQueueCapacity = 1000;

	/**
	 * Tasks that may wait for a thread of Spring Boot's applicationTaskExecutor (@Async)
	 * and of other executors built from its ThreadPoolTaskExecutorBuilder. When set,
	 * their maximum size also becomes their core size, so a burst past the queue is
	 * rejected instead of growing the pool; explicit spring.task.execution.pool.* keys
	 * win. Unset: the executors stay as Spring Boot makes them.
	 */
	private @Nullable Integer asyncQueueCapacity;

	/**
	 * Wait suggested to a refused client in the Retry-After header of a 503 (whole
	 * seconds, at least 1s).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration retryAfter = Duration.ofSeconds(1);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Integer getMaxConcurrentRequests() {
		return this.maxConcurrentRequests;
	}

	public void setMaxConcurrentRequests(@Nullable Integer maxConcurrentRequests) {
		this.maxConcurrentRequests = maxConcurrentRequests;
	}

	public @Nullable DataSize getMaxMemory() {
		return this.maxMemory;
	}

	public void setMaxMemory(@Nullable DataSize maxMemory) {
		this.maxMemory = maxMemory;
	}

	public @Nullable Integer getMaxBatchSize() {
		return this.maxBatchSize;
	}

	public void setMaxBatchSize(@Nullable Integer maxBatchSize) {
		this.maxBatchSize = maxBatchSize;
	}

	public @Nullable Integer getCpuThreads() {
		return this.cpuThreads;
	}

	public void setCpuThreads(@Nullable Integer cpuThreads) {
		this.cpuThreads = cpuThreads;
	}

	public int getCpuQueueCapacity() {
		return this.cpuQueueCapacity;
	}

	public void setCpuQueueCapacity(int cpuQueueCapacity) {
		this.cpuQueueCapacity = cpuQueueCapacity;
	}

	public @Nullable Integer getAsyncQueueCapacity() {
		return this.asyncQueueCapacity;
	}

	public void setAsyncQueueCapacity(@Nullable Integer asyncQueueCapacity) {
		this.asyncQueueCapacity = asyncQueueCapacity;
	}

	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	public void setRetryAfter(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

}
