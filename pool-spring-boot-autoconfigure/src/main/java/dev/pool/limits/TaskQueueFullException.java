package dev.pool.limits;

import org.springframework.core.task.TaskRejectedException;

/**
 * Thrown when a bounded executor's threads are all busy and its queue is full. It names
 * the executor, its capacity and the key that changes it.
 */
public class TaskQueueFullException extends TaskRejectedException {

	private final String executorName;

	private final int queueCapacity;

	/**
	 * Create a new exception.
	 * @param executorName the executor's bean name
	 * @param threads the executor's threads
	 * @param queueCapacity the capacity of its queue
	 * @param key the key that sets the capacity
	 */
	public TaskQueueFullException(String executorName, int threads, int queueCapacity, String key) {
		super("Executor '" + executorName + "' rejected a task: its " + threads + " threads are busy and its queue is "
				+ "full (" + queueCapacity + " tasks waiting, " + key + "). Raise " + key
				+ ", submit less work at once, or handle the rejection (for example with a 503).");
		this.executorName = executorName;
		this.queueCapacity = queueCapacity;
	}

	public String getExecutorName() {
		return this.executorName;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

}
