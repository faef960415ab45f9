package dev.pool.web.autoconfigure;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.web.reactive.UnavailableWebExceptionHandler;
import dev.pool.web.servlet.UnavailableExceptionResolver;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Auto-configuration of the answer to a {@link dev.pool.Unavailable} failure (an open
 * database or host circuit breaker, a full bulkhead, a full waiting room of a JDBC pool):
 * 503 with {@code Retry-After} in Spring MVC and WebFlux, instead of 500 and a stack
 * trace. One handler for every such failure.
 */
@AutoConfiguration
@ConditionalOnPoolEnabled
public final class UnavailableWebAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HandlerExceptionResolver.class)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean
		UnavailableExceptionResolver poolUnavailableExceptionResolver() {
			return new UnavailableExceptionResolver();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebExceptionHandler.class)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		UnavailableWebExceptionHandler poolUnavailableWebExceptionHandler() {
			return new UnavailableWebExceptionHandler();
		}

	}

}
