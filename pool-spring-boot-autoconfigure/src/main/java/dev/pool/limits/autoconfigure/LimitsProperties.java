package dev.pool.limits.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * The {@code pool.limits.*} keys: how much work the application takes on at once.
 */
@ConfigurationProperties("pool.limits")
public class LimitsProperties {

	/**
	 * Whether to apply the resource limits: request limits, the heap limit, batch splitting
	 * and the CPU executor.
	 */
	private boolean enabled = true;

	/**
	 * Inbound requests served at once; the next gets 503 with Retry-After at once. Actuator
	 * endpoints are exempt.
	 */
	private int maxConcurrentRequests = 100;

	/**
	 * Heap in use after garbage collection above which new requests get 503 and readiness
	 * goes OUT_OF_SERVICE, until it drops again. Unset: no heap limit.
	 */
	private DataSize maxMemory;

	/**
	 * Largest batch application code may submit in one call. JdbcTemplate, JdbcClient and
	 * NamedParameterJdbcTemplate send larger batch updates in chunks of this size.
	 */
	private int maxBatchSize = 32;

	/**
	 * Threads of the cpuTaskExecutor bean for CPU-heavy work. Defaults to the number of
	 * available processors.
	 */
	private Integer cpuThreads;

	/**
	 * Tasks that may wait for a CPU thread; the next is rejected with a clear error. Also
	 * bounds the queue of Spring Boot's applicationTaskExecutor unless
	 * spring.task.execution.pool.queue-capacity is set.
	 */
	private int cpuQueueCapacity = 1000;

	/**
	 * Wait suggested to a refused client in the Retry-After header of a 503 (whole seconds,
	 * at least 1s).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration retryAfter = Duration.ofSeconds(1);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getMaxConcurrentRequests() {
		return this.maxConcurrentRequests;
	}

	public void setMaxConcurrentRequests(int maxConcurrentRequests) {
		this.maxConcurrentRequests = maxConcurrentRequests;
	}

	public DataSize getMaxMemory() {
		return this.maxMemory;
	}

	public void setMaxMemory(DataSize maxMemory) {
		this.maxMemory = maxMemory;
	}

	public int getMaxBatchSize() {
		return this.maxBatchSize;
	}

	public void setMaxBatchSize(int maxBatchSize) {
		this.maxBatchSize = maxBatchSize;
	}

	public Integer getCpuThreads() {
		return this.cpuThreads;
	}

	public void setCpuThreads(Integer cpuThreads) {
		this.cpuThreads = cpuThreads;
	}

	public int getCpuQueueCapacity() {
		return this.cpuQueueCapacity;
	}

	public void setCpuQueueCapacity(int cpuQueueCapacity) {
		this.cpuQueueCapacity = cpuQueueCapacity;
	}

	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	public void setRetryAfter(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

}
