package dev.pool.limits.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.pool.autoconfigure.FailureAnalyses;
import dev.pool.health.autoconfigure.PoolHealthContributorAutoConfiguration;
import dev.pool.limits.CpuTaskExecutor;
import dev.pool.limits.MemoryGuard;
import dev.pool.limits.RequestLimiter;
import dev.pool.limits.ResourceLimits;
import dev.pool.limits.TaskQueueFullException;
import dev.pool.limits.autoconfigure.health.LimitsHealthContributorAutoConfiguration;
import dev.pool.limits.metrics.LimitsMetrics;
import dev.pool.limits.web.reactive.RequestLimitWebFilter;
import dev.pool.limits.web.servlet.RequestLimitFilter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@code pool.limits.*} binds, what it makes, and what backs off.
 */
class LimitsAutoConfigurationTests {

	private static final int CORES = Runtime.getRuntime().availableProcessors();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, LimitsAutoConfiguration.class));

	@Test
	void defaults() {
		this.runner.run((context) -> {
			ResourceLimits limits = context.getBean(ResourceLimits.class);
			assertThat(limits.getMaxConcurrentRequests()).isNull();
			assertThat(limits.getMaxMemory()).isNull();
			assertThat(limits.getMaxBatchSize()).isNull();
			assertThat(limits.getCpuThreads()).isEqualTo(CORES);
			assertThat(limits.getCpuQueueCapacity()).isEqualTo(1000);
			CpuTaskExecutor cpu = context.getBean("cpuTaskExecutor", CpuTaskExecutor.class);
			assertThat(cpu.getCorePoolSize()).isEqualTo(CORES);
			assertThat(cpu.getMaxPoolSize()).isEqualTo(CORES);
			assertThat(cpu.getQueueCapacity()).isEqualTo(1000);
			assertThat(context).doesNotHaveBean(MemoryGuard.class);
			assertThat(context).doesNotHaveBean(RequestLimiter.class);
			// Nothing to measure without a request or heap limit: no binder, and its
			// class is not loaded.
			assertThat(context).doesNotHaveBean(LimitsMetrics.class);
		});
	}

	@Test
	void propertiesBindFromTheEnvironmentByRelaxedRules() {
		this.runner.withInitializer(environment(Map.of("POOL_LIMITS_MAX_CONCURRENT_REQUESTS", "7")))
			.withPropertyValues("pool.limits.max-memory=512MB", "pool.limits.maxBatchSize=10",
					"pool.limits.cpu-threads=3", "pool.limits.cpu-queue-capacity=5")
			.run((context) -> {
				ResourceLimits limits = context.getBean(ResourceLimits.class);
				assertThat(limits.getMaxConcurrentRequests()).isEqualTo(7);
				assertThat(limits.getMaxMemory()).isEqualTo(DataSize.ofMegabytes(512));
				assertThat(limits.getMaxBatchSize()).isEqualTo(10);
				assertThat(limits.getCpuThreads()).isEqualTo(3);
				assertThat(limits.getCpuQueueCapacity()).isEqualTo(5);
				assertThat(context).hasSingleBean(MemoryGuard.class);
				assertThat(context.getBean(MemoryGuard.class).getLimit())
					.isEqualTo(DataSize.ofMegabytes(512).toBytes());
			});
	}

	@Test
	void cpuTaskExecutorRejectsPastItsQueueWithTheDocumentedErrorAndNeverGrows() {
		this.runner.withPropertyValues("pool.limits.cpu-threads=2", "pool.limits.cpu-queue-capacity=3")
			.run((context) -> {
				CpuTaskExecutor executor = context.getBean("cpuTaskExecutor", CpuTaskExecutor.class);
				CountDownLatch release = new CountDownLatch(1);
				CountDownLatch running = new CountDownLatch(2);
				try {
					for (int i = 0; i < 2; i++) {
						executor.execute(() -> {
							running.countDown();
							await(release);
						});
					}
					assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
					for (int i = 0; i < 3; i++) {
						executor.submit(() -> await(release));
					}
					assertThatExceptionOfType(TaskQueueFullException.class).isThrownBy(() -> executor.execute(() -> {
					}))
						.withMessageContaining("'cpuTaskExecutor'")
						.withMessageContaining("2 threads")
						.withMessageContaining("3 tasks")
						.withMessageContaining("pool.limits.cpu-queue-capacity");
					assertThatExceptionOfType(TaskQueueFullException.class)
						.isThrownBy(() -> executor.submit(() -> "more"));
					assertThat(executor.getPoolSize()).isEqualTo(2);
					assertThat(executor.getQueueSize()).isEqualTo(3);
					assertThat(executor.getThreadPoolExecutor().getLargestPoolSize()).isEqualTo(2);
				}
				finally {
					release.countDown();
				}
			});
	}

	@Test
	void cpuTaskExecutorIsInjectedByNameNotByType() {
		this.runner.withUserConfiguration(ExecutorUser.class).run((context) -> {
			assertThat(context).hasNotFailed();
			ExecutorUser user = context.getBean(ExecutorUser.class);
			assertThat(user.cpu).isSameAs(context.getBean("cpuTaskExecutor"));
			assertThat(user.any).isSameAs(context.getBean("applicationTaskExecutor"));
		});
	}

	@Test
	void withNoKeyTheExecutorsOfSpringBootsBuilderStayAsSpringBootMakesThem() {
		this.runner.withPropertyValues("pool.limits.cpu-queue-capacity=50").run((context) -> {
			ThreadPoolTaskExecutor fromBuilder = context.getBean(ThreadPoolTaskExecutorBuilder.class).build();
			for (ThreadPoolTaskExecutor executor : List
				.of(context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class), fromBuilder)) {
				String name = (executor == fromBuilder) ? "built from the builder" : "applicationTaskExecutor";
				assertThat(executor.getQueueCapacity()).as(name).isEqualTo(Integer.MAX_VALUE);
				assertThat(executor.getMaxPoolSize()).as(name).isEqualTo(Integer.MAX_VALUE);
			}
			assertThat(context).doesNotHaveBean(ApplicationTaskExecutorBounds.class);
		});
	}

	/**
	 * A burst of 1,200 {@code @Async} tasks while every thread is busy: Spring Boot
	 * queues them all, and so must the application with the starter and no key set.
	 */
	@Test
	void withNoKeyABurstSpringBootQueuesIsQueuedNotRejected() {
		this.runner.run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class);
			CountDownLatch release = new CountDownLatch(1);
			CountDownLatch running = new CountDownLatch(executor.getCorePoolSize());
			CountDownLatch done = new CountDownLatch(executor.getCorePoolSize() + 1200);
			try {
				for (int i = 0; i < executor.getCorePoolSize(); i++) {
					executor.execute(() -> {
						running.countDown();
						await(release);
						done.countDown();
					});
				}
				assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
				for (int i = 0; i < 1200; i++) {
					executor.execute(done::countDown);
				}
				assertThat(executor.getQueueSize()).isEqualTo(1200);
			}
			finally {
				release.countDown();
			}
			assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
		});
	}

	@Test
	void asyncQueueCapacityBoundsTheExecutorsOfSpringBootsBuilder() {
		this.runner.withPropertyValues("pool.limits.async-queue-capacity=50").run((context) -> {
			ThreadPoolTaskExecutor fromBuilder = context.getBean(ThreadPoolTaskExecutorBuilder.class).build();
			for (ThreadPoolTaskExecutor executor : List
				.of(context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class), fromBuilder)) {
				String name = (executor == fromBuilder) ? "built from the builder" : "applicationTaskExecutor";
				assertThat(executor.getQueueCapacity()).as(name).isEqualTo(50);
				assertThat(executor.getCorePoolSize()).as(name).isEqualTo(8);
				assertThat(executor.getMaxPoolSize()).as(name).isEqualTo(8);
			}
			assertThat(context.getBean("cpuTaskExecutor", CpuTaskExecutor.class).getQueueCapacity()).isEqualTo(1000);
		});
	}

	@Test
	void explicitSpringTaskExecutionKeysWin() {
		this.runner.withInitializer(environment(Map.of("SPRING_TASK_EXECUTION_POOL_MAX_SIZE", "20")))
			.withPropertyValues("spring.task.execution.pool.queue-capacity=7", "pool.limits.async-queue-capacity=50")
			.run((context) -> {
				ThreadPoolTaskExecutor executor = context.getBean("applicationTaskExecutor",
						ThreadPoolTaskExecutor.class);
				assertThat(executor.getQueueCapacity()).isEqualTo(7);
				assertThat(executor.getMaxPoolSize()).isEqualTo(20);
			});
	}

	@Test
	void userBeansWin() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(ResourceLimits.class)).isSameAs(context.getBean(UserBeans.class).limits);
			assertThat(context.getBean("cpuTaskExecutor")).isInstanceOf(ThreadPoolTaskExecutor.class)
				.isNotInstanceOf(CpuTaskExecutor.class);
		});
	}

	@Test
	void disabled() {
		this.runner.withPropertyValues("pool.limits.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ResourceLimits.class);
			assertThat(context).doesNotHaveBean("cpuTaskExecutor");
			ThreadPoolTaskExecutor executor = context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class);
			assertThat(executor.getQueueCapacity()).isEqualTo(Integer.MAX_VALUE);
		});
	}

	@Test
	void servletApplicationGetsTheRequestLimitFilter() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(LimitsAutoConfiguration.class))
			.withPropertyValues("pool.limits.max-concurrent-requests=3")
			.run((context) -> {
				assertThat(context).hasSingleBean(RequestLimiter.class);
				assertThat(context.getBean(RequestLimiter.class).getMaxConcurrentRequests()).isEqualTo(3);
				assertThat(context.getBean("poolRequestLimitFilter", FilterRegistrationBean.class).getFilter())
					.isInstanceOf(RequestLimitFilter.class);
				assertThat(context).doesNotHaveBean(RequestLimitWebFilter.class);
			});
	}

	@Test
	void reactiveApplicationGetsTheRequestLimitWebFilter() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(LimitsAutoConfiguration.class))
			.withPropertyValues("pool.limits.max-concurrent-requests=3")
			.run((context) -> {
				assertThat(context).hasSingleBean(RequestLimitWebFilter.class);
				assertThat(context).doesNotHaveBean("poolRequestLimitFilter");
			});
	}

	@Test
	void withNoLimitSetNoRequestIsFilteredInServletOrReactiveApplications() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(LimitsAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RequestLimiter.class);
				assertThat(context).doesNotHaveBean("poolRequestLimitFilter");
				assertThat(context).doesNotHaveBean(MemoryGuard.class);
			});
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(LimitsAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RequestLimiter.class);
				assertThat(context).doesNotHaveBean(RequestLimitWebFilter.class);
			});
	}

	@Test
	void theHeapLimitAloneRefusesOnlyForMemory() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(LimitsAutoConfiguration.class))
			.withPropertyValues("pool.limits.max-memory=64GB")
			.run((context) -> {
				RequestLimiter limiter = context.getBean(RequestLimiter.class);
				assertThat(limiter.getMaxConcurrentRequests()).isNull();
				for (int i = 0; i < 500; i++) {
					assertThat(limiter.tryAcquire()).isEqualTo(RequestLimiter.Admission.ADMITTED);
				}
				assertThat(limiter.getInFlight()).isEqualTo(500);
				for (int i = 0; i < 500; i++) {
					limiter.release();
				}
				assertThat(limiter.getInFlight()).isZero();
			});
	}

	@Test
	void withoutResilience4jThereIsNoRequestLimitButTheRestWorks() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(LimitsAutoConfiguration.class,
					LimitsHealthContributorAutoConfiguration.class, PoolHealthContributorAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.github.resilience4j"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(RequestLimiter.class);
				assertThat(context).doesNotHaveBean("poolRequestLimitFilter");
				assertThat(context).hasSingleBean(ResourceLimits.class);
				CompositeHealthContributor pool = context.getBean("poolHealthContributor",
						CompositeHealthContributor.class);
				assertThat(((HealthIndicator) pool.getContributor("limits")).health().getStatus()).isEqualTo(Status.UP);
			});
	}

	@Test
	void withoutTheServletApiOrMicrometerOrHealthNothingBreaks() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(LimitsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.web.servlet", "io.micrometer.core",
					"org.springframework.boot.health"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean("poolRequestLimitFilter");
				assertThat(context).doesNotHaveBean(LimitsMetrics.class);
				assertThat(context).hasBean("cpuTaskExecutor");
			});
	}

	@Test
	void healthIsUpWithDetails() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(LimitsAutoConfiguration.class,
					LimitsHealthContributorAutoConfiguration.class, PoolHealthContributorAutoConfiguration.class))
			.withPropertyValues("pool.limits.max-concurrent-requests=1", "pool.limits.max-memory=64GB")
			.run((context) -> {
				RequestLimiter limiter = context.getBean(RequestLimiter.class);
				assertThat(limiter.tryAcquire()).isEqualTo(RequestLimiter.Admission.ADMITTED);
				assertThat(limiter.tryAcquire()).isEqualTo(RequestLimiter.Admission.REFUSED_BUSY);
				CompositeHealthContributor pool = context.getBean("poolHealthContributor",
						CompositeHealthContributor.class);
				Health health = ((HealthIndicator) pool.getContributor("limits")).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsKeys("requests", "memory", "maxBatchSize");
				assertThat(health.getDetails().get("requests").toString()).contains("inFlight=1", "max=1",
						"rejectedBusy=1");
				assertThat(health.getDetails().get("memory").toString()).contains("state=OK", "max=65536MB");
				limiter.release();
			});
	}

	@Test
	void metricsThroughSpringBootsMeterRegistry() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
					TaskExecutorMetricsAutoConfiguration.class, LimitsAutoConfiguration.class))
			.withPropertyValues("pool.limits.max-concurrent-requests=1", "pool.limits.max-memory=64GB",
					"pool.limits.cpu-threads=3")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				RequestLimiter limiter = context.getBean(RequestLimiter.class);
				limiter.tryAcquire();
				limiter.tryAcquire();
				assertThat(registry.get("pool.limits.requests.in-flight").gauge().value()).isEqualTo(1);
				assertThat(registry.get("pool.limits.requests.max").gauge().value()).isEqualTo(1);
				assertThat(
						registry.get("pool.limits.requests.rejected").tag("reason", "busy").functionCounter().count())
					.isEqualTo(1);
				assertThat(
						registry.get("pool.limits.requests.rejected").tag("reason", "memory").functionCounter().count())
					.isZero();
				assertThat(registry.get("pool.limits.memory.over-limit").gauge().value()).isZero();
				assertThat(registry.get("pool.limits.memory.max").gauge().value()).isEqualTo(64.0 * 1024 * 1024 * 1024);
				assertThat(registry.get("executor.pool.max").tag("name", "cpuTaskExecutor").gauge().value())
					.isEqualTo(3);
				assertThat(registry.get("executor.queue.remaining").tag("name", "cpuTaskExecutor").gauge().value())
					.isEqualTo(1000);
				limiter.release();
				assertThat(registry.get("pool.limits.requests.in-flight").gauge().value()).isZero();
			});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			pool.limits.max-concurrent-requests | 0    | 0    | 1 or more
			pool.limits.max-concurrent-requests | -5   | -5   | 1 or more
			pool.limits.max-batch-size          | 0    | 0    | 1 or more
			pool.limits.cpu-threads             | 0    | 0    | 1 or more
			pool.limits.cpu-queue-capacity      | -1   | -1   | 0 or more
			pool.limits.async-queue-capacity    | -1   | -1   | 0 or more
			pool.limits.max-memory              | 0    | 0B   | above 0
			pool.limits.retry-after             | 0    | 0    | 1s or more
			pool.limits.retry-after             | 1500ms | 1500ms | whole seconds
			""")
	void badValueFailsStartUpNamingKeyValueAndWhatIsAllowed(String key, String value, String shown, String allowed) {
		this.runner.withPropertyValues(key + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalyses.assertReported(context.getStartupFailure(), key, shown, allowed);
		});
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> environment(
			Map<String, Object> variables) {
		return (context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", variables));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ExecutorUser {

		Executor cpu;

		Executor any;

		@Bean
		String executorUser(@Qualifier("cpuTaskExecutor") Executor cpu, Executor any) {
			this.cpu = cpu;
			this.any = any;
			return "user";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		final ResourceLimits limits = new ResourceLimits(5, null, 5, 1, 1);

		@Bean
		ResourceLimits myLimits() {
			return this.limits;
		}

		@Bean
		ThreadPoolTaskExecutor cpuTaskExecutor() {
			return new ThreadPoolTaskExecutor();
		}

	}

}
