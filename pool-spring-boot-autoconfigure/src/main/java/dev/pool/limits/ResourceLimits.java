package dev.pool.limits;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * The effective {@code pool.limits.*} settings, and the batch-size limit as something
 * application code can call: {@link #batches(List)} splits work into batches the limit
 * allows, {@link #checkBatchSize(int)} refuses a batch that is too large. A limit that is
 * not set is {@code null} and refuses nothing.
 */
public class ResourceLimits {

	private final @Nullable Integer maxConcurrentRequests;

	private final @Nullable DataSize maxMemory;

	private final @Nullable Integer maxBatchSize;

	private final int cpuThreads;

	private final int cpuQueueCapacity;

	/**
	 * Create a new instance.
	 * @param maxConcurrentRequests inbound requests served at once, or null for no limit
	 * @param maxMemory heap in use after GC above which requests are refused, or null
	 * @param maxBatchSize the largest batch allowed, or null for no limit
	 * @param cpuThreads threads of the CPU executor
	 * @param cpuQueueCapacity tasks that may wait for a CPU thread
	 */
	public ResourceLimits(@Nullable Integer maxConcurrentRequests, @Nullable DataSize maxMemory,
			@Nullable Integer maxBatchSize, int cpuThreads, int cpuQueueCapacity) {
		Assert.isTrue(maxConcurrentRequests == null || maxConcurrentRequests > 0,
				"maxConcurrentRequests must be positive");
		Assert.isTrue(maxBatchSize == null || maxBatchSize > 0, "maxBatchSize must be positive");
		this.maxConcurrentRequests = maxConcurrentRequests;
		this.maxMemory = maxMemory;
		this.maxBatchSize = maxBatchSize;
		this.cpuThreads = cpuThreads;
		this.cpuQueueCapacity = cpuQueueCapacity;
	}

	/**
	 * Split a list into consecutive batches of at most {@link #getMaxBatchSize()} items,
	 * in order. The batches are read-only views of the list. Without a limit, the whole
	 * list is one batch.
	 * @param <T> the item type
	 * @param items the items
	 * @return the batches; none for an empty list
	 */
	public <T> List<List<T>> batches(List<T> items) {
		Assert.notNull(items, "items must not be null");
		int size = (this.maxBatchSize != null) ? this.maxBatchSize : Math.max(1, items.size());
		List<List<T>> batches = new ArrayList<>((items.size() + size - 1) / size);
		for (int from = 0; from < items.size(); from += size) {
			batches.add(Collections.unmodifiableList(items.subList(from, Math.min(items.size(), from + size))));
		}
		return batches;
	}

	/**
	 * Refuse a batch larger than {@link #getMaxBatchSize()}; without a limit, accept any.
	 * @param size the number of items in the batch
	 * @throws BatchTooLargeException if the batch is too large
	 */
	public void checkBatchSize(int size) {
		if (this.maxBatchSize != null && size > this.maxBatchSize) {
			throw new BatchTooLargeException(size, this.maxBatchSize);
		}
	}

	/**
	 * Return the request limit.
	 * @return inbound requests served at once, or null when off
	 */
	public @Nullable Integer getMaxConcurrentRequests() {
		return this.maxConcurrentRequests;
	}

	/**
	 * Return the heap limit.
	 * @return the heap in use after GC above which requests are refused, or null when off
	 */
	public @Nullable DataSize getMaxMemory() {
		return this.maxMemory;
	}

	/**
	 * Return the batch-size limit.
	 * @return the largest batch allowed, or null when off
	 */
	public @Nullable Integer getMaxBatchSize() {
		return this.maxBatchSize;
	}

	public int getCpuThreads() {
		return this.cpuThreads;
	}

	public int getCpuQueueCapacity() {
		return this.cpuQueueCapacity;
	}

}
