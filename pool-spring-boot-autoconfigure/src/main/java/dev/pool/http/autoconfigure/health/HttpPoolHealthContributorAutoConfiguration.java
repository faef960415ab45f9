package dev.pool.http.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.health.PoolHealthChild;
import dev.pool.http.HttpPoolDescription;
import dev.pool.http.autoconfigure.HttpPoolObservations;
import dev.pool.http.autoconfigure.PoolHttpAutoConfiguration;
import dev.pool.http.health.HttpPoolHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code http} child of the {@code pool} health component: one
 * entry per HTTP connection pool, by name.
 */
@AutoConfiguration(after = PoolHttpAutoConfiguration.class)
@ConditionalOnClass(value = HealthContributor.class, name = "reactor.netty.resources.ConnectionProvider")
@ConditionalOnBean(HttpPoolObservations.class)
@ConditionalOnPoolEnabled
@ConditionalOnEnabledHealthIndicator("pool")
public final class HttpPoolHealthContributorAutoConfiguration {

	@Bean
	PoolHealthChild poolHttpHealth(HttpPoolObservations observations) {
		return new PoolHealthChild("http", () -> {
			Map<String, HealthContributor> pools = new LinkedHashMap<>();
			for (HttpPoolDescription pool : observations.describe()) {
				pools.put(pool.name(), new HttpPoolHealthIndicator(pool.name(), observations::describe));
			}
			return CompositeHealthContributor.fromMap(pools);
		});
	}

}
