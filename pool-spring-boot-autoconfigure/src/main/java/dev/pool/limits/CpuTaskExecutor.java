package dev.pool.limits;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * A fixed number of threads and a bounded queue, for CPU-heavy work: it never grows past
 * its threads and queue, and a task that does not fit is rejected at once with a
 * {@link TaskQueueFullException} that says what to change.
 */
public class CpuTaskExecutor extends ThreadPoolTaskExecutor {

	/** The key that sets the queue's capacity. */
	public static final String QUEUE_CAPACITY_KEY = "pool.limits.cpu-queue-capacity";

	private String name = "cpuTaskExecutor";

	/**
	 * Create a new executor; {@link #initialize()} starts it. Its threads are named after
	 * the bean ({@code cpuTaskExecutor-1}, ...).
	 * @param threads the number of threads
	 * @param queueCapacity the number of tasks that may wait for a thread
	 */
	public CpuTaskExecutor(int threads, int queueCapacity) {
		setCorePoolSize(threads);
		setMaxPoolSize(threads);
		setQueueCapacity(queueCapacity);
		setRejectedExecutionHandler(this::reject);
	}

	@Override
	public void setBeanName(String name) {
		super.setBeanName(name);
		this.name = name;
	}

	private void reject(Runnable task, ThreadPoolExecutor executor) {
		if (executor.isShutdown()) {
			throw new RejectedExecutionException("Executor '" + this.name + "' has been shut down");
		}
		throw new TaskQueueFullException(this.name, getMaxPoolSize(), getQueueCapacity(), QUEUE_CAPACITY_KEY);
	}

	@Override
	public void execute(Runnable task) {
		try {
			super.execute(task);
		}
		catch (TaskRejectedException ex) {
			throw unwrap(ex);
		}
	}

	@Override
	public Future<?> submit(Runnable task) {
		try {
			return super.submit(task);
		}
		catch (TaskRejectedException ex) {
			throw unwrap(ex);
		}
	}

	@Override
	public <T> Future<T> submit(Callable<T> task) {
		try {
			return super.submit(task);
		}
		catch (TaskRejectedException ex) {
			throw unwrap(ex);
		}
	}

	/**
	 * Spring wraps the handler's exception in a generic one; callers get ours.
	 */
	private static TaskRejectedException unwrap(TaskRejectedException ex) {
		return (ex.getCause() instanceof TaskQueueFullException full) ? full : ex;
	}

}
