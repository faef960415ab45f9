package dev.pool.limits.autoconfigure.health;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.health.PoolHealthChild;
import dev.pool.limits.MemoryGuard;
import dev.pool.limits.RequestLimiter;
import dev.pool.limits.ResourceLimits;
import dev.pool.limits.autoconfigure.LimitsAutoConfiguration;
import dev.pool.limits.health.LimitsHealthIndicator;
import dev.pool.resilience.DatabaseCircuitBreakers;
import dev.pool.resilience.autoconfigure.ResilienceAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code limits} child of the {@code pool} health component:
 * the resource limits, memory readiness and the database circuit breakers.
 */
@AutoConfiguration(after = { LimitsAutoConfiguration.class, ResilienceAutoConfiguration.class },
		afterName = "dev.pool.resilience.autoconfigure.ResilienceR2dbcAutoConfiguration")
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(ResourceLimits.class)
@ConditionalOnPoolEnabled
@ConditionalOnEnabledHealthIndicator("pool")
public final class LimitsHealthContributorAutoConfiguration {

	@Bean
	PoolHealthChild poolLimitsHealth(ResourceLimits limits, ObjectProvider<RequestLimiter> requestLimiter,
			ObjectProvider<MemoryGuard> memoryGuard, ObjectProvider<DatabaseCircuitBreakers> circuitBreakers) {
		return new PoolHealthChild("limits",
				() -> new LimitsHealthIndicator(limits, requestLimiter, memoryGuard, circuitBreakers));
	}

}
