package dev.pool.limits.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

import dev.pool.Durations;
import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.limits.CpuTaskExecutor;
import dev.pool.limits.MemoryGuard;
import dev.pool.limits.RequestLimiter;
import dev.pool.limits.ResourceLimits;
import dev.pool.limits.metrics.LimitsMetrics;
import dev.pool.limits.web.reactive.RequestLimitWebFilter;
import dev.pool.limits.web.servlet.RequestLimitFilter;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.server.WebFilter;

/**
 * Auto-configuration of the resource limits ({@code pool.limits.*}): the request limit of
 * servlet and reactive web applications, the heap limit and readiness, batch splitting in
 * {@code JdbcTemplate}, the {@code cpuTaskExecutor}, bounds for Spring Boot's
 * {@code applicationTaskExecutor}, and their health and metrics. No limit refuses
 * anything until its key is set: without keys, requests, {@code @Async} executors and
 * {@code JdbcTemplate} stay as Spring Boot has them.
 */
@AutoConfiguration(after = TaskExecutionAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		beforeName = "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration")
@ConditionalOnPoolEnabled
@ConditionalOnBooleanProperty(name = "pool.limits.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LimitsProperties.class)
public final class LimitsAutoConfiguration {

	/**
	 * Name of the executor for CPU-heavy work. It is not a default candidate for
	 * injection by type, so an application's own {@code Executor} injection points are
	 * unchanged; inject it with {@code @Qualifier("cpuTaskExecutor")}.
	 */
	public static final String CPU_TASK_EXECUTOR_BEAN_NAME = "cpuTaskExecutor";

	/**
	 * Order of the request limit filters: right after Spring's observation filter, so a
	 * refused request costs little and is still observed.
	 */
	public static final int REQUEST_LIMIT_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private static final String ACTUATOR_CLASS = "org.springframework.boot.actuate.endpoint.web.WebEndpointResponse";

	/**
	 * The request limit when virtual threads are on and none is set: Tomcat's maximum of
	 * request threads, the bound its thread pool used to give.
	 */
	static final String TOMCAT_MAX_THREADS = "server.tomcat.threads.max";

	static final int TOMCAT_DEFAULT_MAX_THREADS = 200;

	private static final String SERVLET_CONTEXT = "org.springframework.web.context.WebApplicationContext";

	@Bean
	@ConditionalOnMissingBean
	ResourceLimits resourceLimits(LimitsProperties properties, Environment environment,
			ApplicationContext applicationContext) {
		atLeast("pool.limits.max-concurrent-requests", properties.getMaxConcurrentRequests(), 1,
				"Set pool.limits.max-concurrent-requests to the requests served at once, or remove it to refuse no "
						+ "request for being one too many.");
		atLeast("pool.limits.max-batch-size", properties.getMaxBatchSize(), 1,
				"Set pool.limits.max-batch-size to the largest batch sent in one JDBC batch, or remove it to keep "
						+ "Spring Boot's JdbcTemplate.");
		atLeast("pool.limits.async-queue-capacity", properties.getAsyncQueueCapacity(), 0,
				"Set pool.limits.async-queue-capacity to the tasks that may wait for an @Async thread, or remove it "
						+ "to keep Spring Boot's applicationTaskExecutor as it is.");
		int cores = Runtime.getRuntime().availableProcessors();
		int cpuThreads = (properties.getCpuThreads() != null) ? properties.getCpuThreads() : cores;
		atLeast("pool.limits.cpu-threads", cpuThreads, 1,
				"Set pool.limits.cpu-threads to 1 or more, or remove it to use one thread per processor (" + cores
						+ " here).");
		atLeast("pool.limits.cpu-queue-capacity", properties.getCpuQueueCapacity(), 0,
				"Set pool.limits.cpu-queue-capacity to the tasks that may wait for a CPU thread (default 1000; 0 "
						+ "hands tasks straight to a free thread).");
		if (properties.getMaxMemory() != null && properties.getMaxMemory().toBytes() <= 0) {
			throw new PoolConfigurationException("pool.limits.max-memory", properties.getMaxMemory(),
					"a size above 0, such as 512MB",
					"Set pool.limits.max-memory below the maximum heap (-Xmx), e.g. 85% of it, or remove it to "
							+ "turn the heap limit off.");
		}
		Duration retryAfter = properties.getRetryAfter();
		if (retryAfter == null || retryAfter.toMillis() < 1000 || retryAfter.toMillis() % 1000 != 0) {
			throw new PoolConfigurationException("pool.limits.retry-after", Durations.format(retryAfter),
					"whole seconds, 1s or more (Retry-After is sent in seconds)",
					"Set pool.limits.retry-after to the seconds a refused client should wait, e.g. 1s.");
		}
		Integer maxConcurrentRequests = properties.getMaxConcurrentRequests();
		if (maxConcurrentRequests == null && Threading.VIRTUAL.isActive(environment)
				&& isServletWebApplication(applicationContext)) {
			maxConcurrentRequests = environment.getProperty(TOMCAT_MAX_THREADS, Integer.class,
					TOMCAT_DEFAULT_MAX_THREADS);
		}
		return new ResourceLimits(maxConcurrentRequests, properties.getMaxMemory(), properties.getMaxBatchSize(),
				cpuThreads, properties.getCpuQueueCapacity());
	}

	private static boolean isServletWebApplication(ApplicationContext context) {
		return ClassUtils.isPresent(SERVLET_CONTEXT, LimitsAutoConfiguration.class.getClassLoader())
				&& context instanceof org.springframework.web.context.WebApplicationContext;
	}

	private static void atLeast(String key, Integer value, int minimum, String action) {
		if (value != null && value < minimum) {
			throw new PoolConfigurationException(key, value, "a whole number, " + minimum + " or more", action);
		}
	}

	@Bean(name = CPU_TASK_EXECUTOR_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = CPU_TASK_EXECUTOR_BEAN_NAME)
	CpuTaskExecutor cpuTaskExecutor(ResourceLimits limits) {
		return new CpuTaskExecutor(limits.getCpuThreads(), limits.getCpuQueueCapacity());
	}

	/**
	 * Bounds for {@code @Async} under virtual threads: a class of its own, so that
	 * without virtual threads its type is never loaded.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnThreading(Threading.VIRTUAL)
	static class VirtualThreadAsyncBoundsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "poolVirtualThreadAsyncBounds")
		VirtualThreadAsyncBounds poolVirtualThreadAsyncBounds(Environment environment) {
			return new VirtualThreadAsyncBounds(environment);
		}

	}

	/**
	 * Bounds for Spring Boot's {@code applicationTaskExecutor}, only with
	 * {@code pool.limits.async-queue-capacity} set.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty("pool.limits.async-queue-capacity")
	static class ApplicationTaskExecutorBoundsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "poolApplicationTaskExecutorBounds")
		ApplicationTaskExecutorBounds poolApplicationTaskExecutorBounds(LimitsProperties properties,
				Environment environment) {
			return new ApplicationTaskExecutorBounds(properties.getAsyncQueueCapacity(), environment);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty("pool.limits.max-memory")
	static class MemoryLimitConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MemoryGuard poolMemoryGuard(ResourceLimits limits, ApplicationEventPublisher publisher,
				ObjectProvider<ApplicationAvailability> availability) {
			return new MemoryGuard(limits.getMaxMemory(), new MemoryReadiness(publisher, availability));
		}

	}

	/**
	 * The request limit, its filters and its meters, only when a limit that refuses
	 * requests is set: without one, none of their conditions is evaluated and none of
	 * their classes is loaded.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnRequestLimit.class)
	static class RequestLimitConfiguration {

		/**
		 * The path of the actuator's endpoints on the application's server, never limited
		 * so that health stays readable. A separate management server is not limited at
		 * all.
		 */
		static String actuatorPath(Environment environment, String prefix) {
			if (!ClassUtils.isPresent(ACTUATOR_CLASS, RequestLimitConfiguration.class.getClassLoader())) {
				return null;
			}
			String basePath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
			if (!StringUtils.hasText(basePath) || basePath.equals("/")) {
				return null;
			}
			String path = trimSlashes(prefix) + "/" + trimSlashes(basePath);
			return path.startsWith("/") ? path : "/" + path;
		}

		private static String trimSlashes(String path) {
			return (path != null)
					? StringUtils.trimTrailingCharacter(StringUtils.trimLeadingCharacter(path.trim(), '/'), '/') : "";
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(Bulkhead.class)
		@ConditionalOnWebApplication
		static class RequestLimiterConfiguration {

			@Bean
			@ConditionalOnMissingBean
			RequestLimiter poolRequestLimiter(ResourceLimits limits, LimitsProperties properties,
					ObjectProvider<MemoryGuard> memoryGuard) {
				return new RequestLimiter(limits.getMaxConcurrentRequests(), memoryGuard.getIfAvailable(),
						properties.getRetryAfter());
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ Bulkhead.class, Filter.class, FilterRegistrationBean.class, RequestLimitFilter.class })
		@ConditionalOnWebApplication(type = Type.SERVLET)
		static class ServletRequestLimitConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "poolRequestLimitFilter")
			FilterRegistrationBean<RequestLimitFilter> poolRequestLimitFilter(RequestLimiter limiter,
					Environment environment) {
				String servletPath = environment.getProperty("spring.mvc.servlet.path", "");
				RequestLimitFilter filter = new RequestLimitFilter(limiter, actuatorPath(environment, servletPath));
				FilterRegistrationBean<RequestLimitFilter> registration = new FilterRegistrationBean<>(filter);
				registration.setOrder(REQUEST_LIMIT_FILTER_ORDER);
				return registration;
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ Bulkhead.class, WebFilter.class })
		@ConditionalOnWebApplication(type = Type.REACTIVE)
		static class ReactiveRequestLimitConfiguration {

			@Bean
			@ConditionalOnMissingBean
			RequestLimitWebFilter poolRequestLimitWebFilter(RequestLimiter limiter, Environment environment,
					ApplicationContext applicationContext) {
				return new RequestLimitWebFilter(limiter, actuatorPath(environment, ""), applicationContext,
						REQUEST_LIMIT_FILTER_ORDER);
			}

		}

		/**
		 * The meters of the request limit and the heap limit.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(MeterBinder.class)
		static class MetricsConfiguration {

			@Bean
			@ConditionalOnMissingBean
			LimitsMetrics poolLimitsMetrics(ObjectProvider<RequestLimiter> requestLimiter,
					ObjectProvider<MemoryGuard> memoryGuard) {
				return new LimitsMetrics(requestLimiter.getIfAvailable(), memoryGuard.getIfAvailable());
			}

		}

	}

	/**
	 * Matches when {@code pool.limits.max-concurrent-requests} or
	 * {@code pool.limits.max-memory} is set, or when a servlet application runs on
	 * virtual threads (the request limit then has a default). Evaluated as the
	 * configuration is parsed, so that without a match the nested configurations are not
	 * looked at.
	 */
	static class OnRequestLimit extends AnyNestedCondition {

		OnRequestLimit() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnProperty("pool.limits.max-concurrent-requests")
		static class MaxConcurrentRequests {

		}

		@ConditionalOnProperty("pool.limits.max-memory")
		static class MaxMemory {

		}

		@ConditionalOnThreading(Threading.VIRTUAL)
		@ConditionalOnWebApplication(type = Type.SERVLET)
		static class VirtualThreadsInAServletApplication {

		}

	}

	/**
	 * Only with {@code pool.limits.max-batch-size} set and no {@code JdbcOperations} of
	 * the application's own: Spring Boot's {@code JdbcTemplate} becomes one that sends
	 * batch updates in chunks. Unset, it is Spring Boot's own.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcTemplate.class)
	@ConditionalOnProperty("pool.limits.max-batch-size")
	@ConditionalOnSingleCandidate(DataSource.class)
	@ConditionalOnMissingBean(JdbcOperations.class)
	static class BatchLimitingConfiguration {

		@Bean
		static BatchLimitingJdbcTemplatePostProcessor poolBatchLimitingJdbcTemplatePostProcessor(
				ObjectProvider<ResourceLimits> limits) {
			return new BatchLimitingJdbcTemplatePostProcessor(limits);
		}

	}

}
