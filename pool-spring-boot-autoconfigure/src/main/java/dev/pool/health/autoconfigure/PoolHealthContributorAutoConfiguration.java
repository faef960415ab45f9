package dev.pool.health.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.health.HttpPoolHealthIndicator;
import dev.pool.http.HttpPoolDescription;
import dev.pool.http.autoconfigure.HttpPoolObservations;
import dev.pool.http.autoconfigure.PoolHttpAutoConfiguration;
import dev.pool.jdbc.JdbcPool;
import dev.pool.limits.MemoryGuard;
import dev.pool.limits.RequestLimiter;
import dev.pool.limits.ResourceLimits;
import dev.pool.limits.autoconfigure.LimitsAutoConfiguration;
import dev.pool.limits.health.LimitsHealthIndicator;
import dev.pool.resilience.DatabaseCircuitBreakers;
import dev.pool.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.jdbc.autoconfigure.PoolMetricsTrackerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code pool} health component: a child per concern
 * ({@code jdbc}: one entry per pool), each UP under load and DOWN only when what it
 * stands for cannot work.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
		ServerCheckAutoConfiguration.class, PoolHttpAutoConfiguration.class, LimitsAutoConfiguration.class,
		ResilienceAutoConfiguration.class })
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBooleanProperty(name = "pool.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("pool")
public final class PoolHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "poolHealthContributor")
	@Conditional(OnAnyPool.class)
	CompositeHealthContributor poolHealthContributor(ObjectProvider<JdbcHealth> jdbc, ObjectProvider<HttpHealth> http,
			ObjectProvider<LimitsHealth> limits) {
		Map<String, HealthContributor> children = new LinkedHashMap<>();
		jdbc.ifAvailable((contributor) -> children.put("jdbc", contributor.get()));
		http.ifAvailable((contributor) -> children.put("http", contributor.get()));
		limits.ifAvailable((contributor) -> children.put("limits", contributor.get()));
		return CompositeHealthContributor.fromMap(children);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HikariDataSource.class)
	@ConditionalOnBean(DataSource.class)
	static class JdbcHealthConfiguration {

		@Bean
		JdbcHealth poolJdbcHealth(ObjectProvider<DataSource> dataSources, ObjectProvider<PoolMetricsTrackerFactory> stats,
				ObjectProvider<ServerChecks> checks) {
			return () -> {
				DataSource dataSource = dataSources.getIfUnique();
				Map<String, HealthContributor> pools = new LinkedHashMap<>();
				if (dataSource != null) {
					for (JdbcPool pool : JdbcPool.of(dataSource)) {
						pools.put(pool.name(), JdbcPoolHealthIndicators.of(pool, stats, checks));
					}
				}
				return CompositeHealthContributor.fromMap(pools);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "reactor.netty.resources.ConnectionProvider")
	@ConditionalOnBean(HttpPoolObservations.class)
	static class HttpHealthConfiguration {

		@Bean
		HttpHealth poolHttpHealth(HttpPoolObservations observations) {
			return () -> {
				Map<String, HealthContributor> pools = new LinkedHashMap<>();
				for (HttpPoolDescription pool : observations.describe()) {
					pools.put(pool.name(), new HttpPoolHealthIndicator(pool.name(), observations::describe));
				}
				return CompositeHealthContributor.fromMap(pools);
			};
		}

	}

	/**
	 * Matches when there is a pool to show.
	 */
	static class OnAnyPool extends AnyNestedCondition {

		OnAnyPool() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(JdbcHealth.class)
		static class Jdbc {

		}

		@ConditionalOnBean(HttpHealth.class)
		static class Http {

		}

		@ConditionalOnBean(LimitsHealth.class)
		static class Limits {

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ResourceLimits.class)
	static class LimitsHealthConfiguration {

		@Bean
		LimitsHealth poolLimitsHealth(ResourceLimits limits, ObjectProvider<RequestLimiter> requestLimiter,
				ObjectProvider<MemoryGuard> memoryGuard, ObjectProvider<DatabaseCircuitBreakers> circuitBreakers) {
			return () -> new LimitsHealthIndicator(limits, requestLimiter, memoryGuard, circuitBreakers);
		}

	}

	/**
	 * The {@code limits} child.
	 */
	@FunctionalInterface
	interface LimitsHealth {

		HealthContributor get();

	}

	/**
	 * The {@code http} child.
	 */
	@FunctionalInterface
	interface HttpHealth {

		HealthContributor get();

	}

	/**
	 * The {@code jdbc} child, made once the DataSource exists.
	 */
	@FunctionalInterface
	interface JdbcHealth {

		HealthContributor get();

	}

}
