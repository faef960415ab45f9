package dev.pool.limits.autoconfigure;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.task.SimpleAsyncTaskExecutorCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * With virtual threads, Spring Boot's {@code applicationTaskExecutor} (behind
 * {@code @Async}) is a {@code SimpleAsyncTaskExecutor}: a new virtual thread per task, no
 * bound at all. Its platform-thread counterpart runs
 * {@code spring.task.execution.pool.core-size} tasks at once (8 unless set) and queues
 * the rest; this gives the virtual-thread executor the same concurrency limit, so a burst
 * of tasks waits its turn instead of starting all at once against the pools it uses.
 * {@code spring.task.execution.simple.concurrency-limit}, set explicitly, always wins.
 */
class VirtualThreadAsyncBounds implements SimpleAsyncTaskExecutorCustomizer {

	static final int SPRING_BOOT_CORE_SIZE = 8;

	private final Integer concurrencyLimit;

	VirtualThreadAsyncBounds(Environment environment) {
		Binder binder = Binder.get(environment);
		boolean limitSet = binder.bind("spring.task.execution.simple.concurrency-limit", Bindable.of(Integer.class))
			.isBound();
		this.concurrencyLimit = limitSet ? null
				: binder.bind("spring.task.execution.pool.core-size", Bindable.of(Integer.class))
					.orElse(SPRING_BOOT_CORE_SIZE);
	}

	Integer getConcurrencyLimit() {
		return this.concurrencyLimit;
	}

	@Override
	public void customize(SimpleAsyncTaskExecutor taskExecutor) {
		if (this.concurrencyLimit != null) {
			taskExecutor.setConcurrencyLimit(this.concurrencyLimit);
		}
	}

}
