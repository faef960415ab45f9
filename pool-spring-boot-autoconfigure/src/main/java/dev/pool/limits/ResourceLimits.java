package dev.pool.limits;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * The effective {@code pool.limits.*} settings, and the batch-size limit as something
 * application code can call: {@link #batches(List)} splits work into batches the limit
 * allows, {@link #checkBatchSize(int)} refuses a batch that is too large.
 */
public class ResourceLimits {

	private final int maxConcurrentRequests;

	private final DataSize maxMemory;

	private final int maxBatchSize;

	private final int cpuThreads;

	private final int cpuQueueCapacity;

	/**
	 * Create a new instance.
	 * @param maxConcurrentRequests inbound requests served at once
	 * @param maxMemory heap in use after GC above which requests are refused, or null
	 * @param maxBatchSize the largest batch allowed
	 * @param cpuThreads threads of the CPU executor
	 * @param cpuQueueCapacity tasks that may wait for a CPU thread
	 */
	public ResourceLimits(int maxConcurrentRequests, DataSize maxMemory, int maxBatchSize, int cpuThreads,
			int cpuQueueCapacity) {
		Assert.isTrue(maxBatchSize > 0, "maxBatchSize must be positive");
		this.maxConcurrentRequests = maxConcurrentRequests;
		this.maxMemory = maxMemory;
		this.maxBatchSize = maxBatchSize;
		this.cpuThreads = cpuThreads;
		this.cpuQueueCapacity = cpuQueueCapacity;
	}

	/**
	 * Split a list into consecutive batches of at most {@link #getMaxBatchSize()} items, in
	 * order. The batches are read-only views of the list.
	 * @param <T> the item type
	 * @param items the items
	 * @return the batches; none for an empty list
	 */
	public <T> List<List<T>> batches(List<T> items) {
		Assert.notNull(items, "items must not be null");
		List<List<T>> batches = new ArrayList<>((items.size() + this.maxBatchSize - 1) / this.maxBatchSize);
		for (int from = 0; from < items.size(); from += this.maxBatchSize) {
			batches.add(Collections.unmodifiableList(items.subList(from, Math.min(items.size(), from + this.maxBatchSize))));
		}
		return batches;
	}

	/**
	 * Refuse a batch larger than {@link #getMaxBatchSize()}.
	 * @param size the number of items in the batch
	 * @throws BatchTooLargeException if the batch is too large
	 */
	public void checkBatchSize(int size) {
		if (size > this.maxBatchSize) {
			throw new BatchTooLargeException(size, this.maxBatchSize);
		}
	}

	public int getMaxConcurrentRequests() {
		return this.maxConcurrentRequests;
	}

	/**
	 * Return the heap limit.
	 * @return the heap in use after GC above which requests are refused, or null when off
	 */
	public DataSize getMaxMemory() {
		return this.maxMemory;
	}

	public int getMaxBatchSize() {
		return this.maxBatchSize;
	}

	public int getCpuThreads() {
		return this.cpuThreads;
	}

	public int getCpuQueueCapacity() {
		return this.cpuQueueCapacity;
	}

}
