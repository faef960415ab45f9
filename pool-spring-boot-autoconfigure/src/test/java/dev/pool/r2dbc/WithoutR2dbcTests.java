package dev.pool.r2dbc;

import java.util.List;
import java.util.stream.StreamSupport;

import dev.pool.endpoint.PoolsEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every auto-configuration of the starter in an application without R2DBC, or with R2DBC
 * but without r2dbc-pool: the context starts, no R2DBC part is made, and the
 * {@code pools} endpoint answers without an R2DBC pool.
 */
class WithoutR2dbcTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(starterAutoConfigurations()))
		.withPropertyValues("management.endpoints.web.exposure.include=pools", "pool.size=3",
				"spring.r2dbc.url=r2dbc:postgresql://postgres@127.0.0.1:1/test");

	@Test
	void withoutR2dbcNoR2dbcPartIsMade() {
		this.runner.withClassLoader(new FilteredClassLoader("io.r2dbc")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(R2dbcPools.class);
			assertThat(context.getBean(PoolsEndpoint.class).pools().r2dbc()).isEmpty();
		});
	}

	@Test
	void withoutR2dbcPoolNoR2dbcPartIsMade() {
		this.runner.withClassLoader(new FilteredClassLoader("io.r2dbc.pool", "reactor.pool")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(R2dbcPools.class);
			assertThat(context.getBean(PoolsEndpoint.class).pools().r2dbc()).isEmpty();
		});
	}

	private static Class<?>[] starterAutoConfigurations() {
		ClassLoader classLoader = WithoutR2dbcTests.class.getClassLoader();
		List<Class<?>> classes = StreamSupport
			.stream(ImportCandidates.load(AutoConfiguration.class, classLoader).spliterator(), false)
			.filter((name) -> name.startsWith("dev.pool."))
			.<Class<?>>map((name) -> ClassUtils.resolveClassName(name, classLoader))
			.toList();
		assertThat(classes).hasSizeGreaterThan(10);
		return classes.toArray(Class<?>[]::new);
	}

}
