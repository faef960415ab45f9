package dev.pool.limits;

/**
 * Thrown when application code submits a batch larger than
 * {@code pool.limits.max-batch-size}.
 *
 * @see ResourceLimits#checkBatchSize(int)
 * @see ResourceLimits#batches(java.util.List)
 */
public class BatchTooLargeException extends IllegalArgumentException {

	private final int size;

	private final int maxBatchSize;

	/**
	 * Create a new exception.
	 * @param size the size of the batch that was submitted
	 * @param maxBatchSize the largest batch allowed
	 */
	public BatchTooLargeException(int size, int maxBatchSize) {
		super("A batch of " + size + " items is larger than pool.limits.max-batch-size (" + maxBatchSize
				+ "): split it with ResourceLimits.batches(list), or raise pool.limits.max-batch-size");
		this.size = size;
		this.maxBatchSize = maxBatchSize;
	}

	public int getSize() {
		return this.size;
	}

	public int getMaxBatchSize() {
		return this.maxBatchSize;
	}

}
