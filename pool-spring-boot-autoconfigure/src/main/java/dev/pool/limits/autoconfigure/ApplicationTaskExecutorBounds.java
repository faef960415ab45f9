package dev.pool.limits.autoconfigure;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Bounds the executors Spring Boot's {@code ThreadPoolTaskExecutorBuilder} makes (the
 * {@code applicationTaskExecutor} behind {@code @Async}, and any of your own built from
 * the builder), only when {@code pool.limits.async-queue-capacity} is set: Spring Boot's
 * defaults are an unbounded queue and an unbounded maximum. The queue gets that capacity
 * and the maximum becomes the core size, so a full executor rejects instead of growing
 * without end. A {@code spring.task.execution.pool.*} key set explicitly always wins.
 */
class ApplicationTaskExecutorBounds implements ThreadPoolTaskExecutorCustomizer {

	private final int queueCapacity;

	private final boolean queueCapacitySet;

	private final boolean maxSizeSet;

	ApplicationTaskExecutorBounds(int queueCapacity, Environment environment) {
		this.queueCapacity = queueCapacity;
		Binder binder = Binder.get(environment);
		this.queueCapacitySet = binder.bind("spring.task.execution.pool.queue-capacity", Bindable.of(Integer.class))
			.isBound();
		this.maxSizeSet = binder.bind("spring.task.execution.pool.max-size", Bindable.of(Integer.class)).isBound();
	}

	@Override
	public void customize(ThreadPoolTaskExecutor taskExecutor) {
		if (!this.queueCapacitySet) {
			taskExecutor.setQueueCapacity(this.queueCapacity);
		}
		if (!this.maxSizeSet) {
			taskExecutor.setMaxPoolSize(taskExecutor.getCorePoolSize());
		}
	}

}
