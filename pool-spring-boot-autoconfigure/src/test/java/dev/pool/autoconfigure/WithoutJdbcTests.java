package dev.pool.autoconfigure;

import java.util.List;
import java.util.stream.StreamSupport;

import javax.sql.DataSource;

import dev.pool.check.ServerChecks;
import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.jdbc.JdbcPools;
import dev.pool.limits.ResourceLimits;
import dev.pool.limits.jdbc.BatchLimitingJdbcTemplate;
import dev.pool.resilience.DatabaseCircuitBreakers;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every auto-configuration of the starter in an application without HikariCP, without
 * spring-jdbc, or without both: the context starts, nothing asks for a DataSource, no
 * JDBC part is made, and the parts that need no database (limits, the {@code pools}
 * endpoint, health) are there.
 */
class WithoutJdbcTests {

	private static final String[] WITHOUT_HIKARI = { "com.zaxxer.hikari" };

	private static final String[] WITHOUT_SPRING_JDBC = { "org.springframework.jdbc" };

	/**
	 * HikariCP and spring-jdbc hidden. Spring Boot's JDBC module stays visible: the test
	 * runner orders auto-configurations by name with the filtered class loader, which
	 * would fail on a hidden one. The {@code shapes/no-database} application has none of
	 * the three on its classpath.
	 */
	private static final String[] WITHOUT_ANY_JDBC = { "com.zaxxer.hikari", "org.springframework.jdbc" };

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(starterAutoConfigurations()))
		.withPropertyValues("management.endpoints.web.exposure.include=pools", "pool.limits.max-batch-size=100");

	@Test
	void withoutHikariNoJdbcPartIsMade() {
		this.runner.withClassLoader(new FilteredClassLoader(WITHOUT_HIKARI)).run(startsWithoutJdbc());
	}

	@Test
	void withoutSpringJdbcNoJdbcPartIsMade() {
		this.runner.withClassLoader(new FilteredClassLoader(WITHOUT_SPRING_JDBC)).run(startsWithoutJdbc());
	}

	@Test
	void withoutAnyJdbcNoJdbcPartIsMade() {
		this.runner
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(WITHOUT_ANY_JDBC))
			.run(startsWithoutJdbc());
	}

	@Test
	void aServletApplicationWithoutAnyJdbcStarts() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(starterAutoConfigurations()))
			.withPropertyValues("management.endpoints.web.exposure.include=pools",
					"pool.limits.max-concurrent-requests=10")
			.withClassLoader(new FilteredClassLoader(WITHOUT_ANY_JDBC))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(DataSource.class);
				assertThat(context).doesNotHaveBean(JdbcPools.class);
				assertThat(context).hasSingleBean(ResourceLimits.class);
				assertThat(context).hasSingleBean(PoolsEndpoint.class);
			});
	}

	private ContextConsumer<AssertableReactiveWebApplicationContext> startsWithoutJdbc() {
		return (context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DataSource.class);
			assertThat(context).doesNotHaveBean("poolJdbcSettings");
			assertThat(context).doesNotHaveBean(JdbcPools.class);
			assertThat(context).doesNotHaveBean(ServerChecks.class);
			assertThat(context).doesNotHaveBean(DatabaseCircuitBreakers.class);
			assertThat(context).doesNotHaveBean(BatchLimitingJdbcTemplate.class);
			assertThat(context).doesNotHaveBean("poolDataSourceBeanPostProcessor");
			assertThat(context).doesNotHaveBean("poolCircuitBreakerGuards");
			assertThat(context).doesNotHaveBean("dbHealthContributor");
			assertThat(context).hasSingleBean(ResourceLimits.class);
			assertThat(context).hasSingleBean(PoolsEndpoint.class);
			PoolsEndpoint.PoolsDescriptor pools = context.getBean(PoolsEndpoint.class).pools();
			assertThat(pools.jdbc()).isEmpty();
		};
	}

	/**
	 * Every auto-configuration the starter lists, so that one added later is covered.
	 */
	private static Class<?>[] starterAutoConfigurations() {
		ClassLoader classLoader = WithoutJdbcTests.class.getClassLoader();
		List<Class<?>> classes = StreamSupport
			.stream(ImportCandidates.load(AutoConfiguration.class, classLoader).spliterator(), false)
			.filter((name) -> name.startsWith("dev.pool."))
			.<Class<?>>map((name) -> ClassUtils.resolveClassName(name, classLoader))
			.toList();
		assertThat(classes).hasSizeGreaterThan(10);
		return classes.toArray(Class<?>[]::new);
	}

}
