package dev.pool.health.autoconfigure;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.health.PoolHealthChild;
import dev.pool.http.autoconfigure.health.HttpPoolHealthContributorAutoConfiguration;
import dev.pool.jdbc.autoconfigure.health.JdbcPoolHealthContributorAutoConfiguration;
import dev.pool.limits.autoconfigure.health.LimitsHealthContributorAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code pool} health component: a child per technology
 * ({@code jdbc}, {@code http}, {@code r2dbc}, {@code limits}), each contributed as a
 * {@link PoolHealthChild} by the health auto-configuration beside its technology, each UP
 * under load and DOWN only when what it stands for cannot work.
 */
@AutoConfiguration(
		after = { JdbcPoolHealthContributorAutoConfiguration.class, HttpPoolHealthContributorAutoConfiguration.class,
				LimitsHealthContributorAutoConfiguration.class },
		afterName = "dev.pool.r2dbc.autoconfigure.health.R2dbcPoolHealthContributorAutoConfiguration")
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnPoolEnabled
@ConditionalOnEnabledHealthIndicator("pool")
public final class PoolHealthContributorAutoConfiguration {

	/** The children in the order the component shows them. */
	private static final List<String> CHILDREN = List.of("jdbc", "http", "r2dbc", "limits");

	@Bean
	@ConditionalOnMissingBean(name = "poolHealthContributor")
	@ConditionalOnBean(PoolHealthChild.class)
	CompositeHealthContributor poolHealthContributor(ObjectProvider<PoolHealthChild> children) {
		Map<String, HealthContributor> contributors = new LinkedHashMap<>();
		children.orderedStream()
			.sorted(Comparator.comparingInt((child) -> order(child.name())))
			.forEach((child) -> contributors.put(child.name(), child.contributor().get()));
		return CompositeHealthContributor.fromMap(contributors);
	}

	private static int order(String name) {
		int index = CHILDREN.indexOf(name);
		return (index >= 0) ? index : CHILDREN.size();
	}

}
