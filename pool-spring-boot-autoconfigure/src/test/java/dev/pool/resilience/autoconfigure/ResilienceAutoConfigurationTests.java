package dev.pool.resilience.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.FailureAnalyses;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.resilience.DatabaseCircuitBreaker;
import dev.pool.resilience.DatabaseCircuitBreakers;
import dev.pool.resilience.metrics.CircuitBreakerMetrics;
import dev.pool.testsupport.Databases;
import dev.pool.web.autoconfigure.UnavailableWebAutoConfiguration;
import dev.pool.web.reactive.UnavailableWebExceptionHandler;
import dev.pool.web.servlet.UnavailableExceptionResolver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the database circuit breaker goes, how {@code pool.resilience.*} binds, and what
 * backs off. The URL names PostgreSQL, but nothing here connects to it.
 */
class ResilienceAutoConfigurationTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				ResilienceAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL);

	@Test
	void springBootsDataSourceGetsABreakerWithConservativeDefaultsAndStaysAHikariDataSource() {
		this.runner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(context).hasSingleBean(HikariDataSource.class);
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			assertThat(pool).isSameAs(dataSource).isInstanceOf(ManagedHikariDataSource.class);
			assertThat(DataSourceUnwrapper.unwrap(dataSource, HikariDataSource.class)).isSameAs(pool);
			assertThat(pool.getMaximumPoolSize()).isEqualTo(10);
			CircuitBreaker breaker = breaker(context);
			assertThat(breaker.getName()).isEqualTo("dataSource");
			CircuitBreakerConfig config = breaker.getCircuitBreakerConfig();
			assertThat(config.getSlidingWindowType()).isEqualTo(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED);
			assertThat(config.getSlidingWindowSize()).isEqualTo(5);
			assertThat(config.getMinimumNumberOfCalls()).isEqualTo(5);
			assertThat(config.getFailureRateThreshold()).isEqualTo(100);
			assertThat(config.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(1);
			assertThat(context.getBean(DatabaseCircuitBreakers.class).getWaitDurationInOpenState())
				.isEqualTo(Duration.ofSeconds(10));
			assertThat(context.getBean(DatabaseCircuitBreakers.class).getCircuitBreakers())
				.containsOnlyKeys("dataSource");
		});
	}

	private static CircuitBreaker breaker(AssertableApplicationContext context) {
		ManagedHikariDataSource pool = context.getBean(ManagedHikariDataSource.class);
		assertThat(pool.getConnectionGuard()).isInstanceOf(DatabaseCircuitBreaker.class);
		return ((DatabaseCircuitBreaker) pool.getConnectionGuard()).getCircuitBreaker();
	}

	@Test
	void propertiesBind() {
		this.runner
			.withPropertyValues("pool.resilience.failure-threshold=3", "pool.resilience.wait-duration-in-open-state=30",
					"pool.resilience.permitted-calls-in-half-open-state=2")
			.run((context) -> {
				CircuitBreakerConfig config = breaker(context).getCircuitBreakerConfig();
				assertThat(config.getSlidingWindowSize()).isEqualTo(3);
				assertThat(config.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(2);
				assertThat(context.getBean(DatabaseCircuitBreakers.class).getWaitDurationInOpenState())
					.isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	void eachPoolOfAReadWriteDataSourceGetsItsOwnBreakerAndTheBeanKeepsItsType() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("breakers.db"))
			.withConfiguration(AutoConfigurations.of(JdbcTemplateAutoConfiguration.class))
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(dataSource).isInstanceOf(ReadWriteDataSource.class);
				ReadWriteDataSource pair = ReadWriteDataSource.find(dataSource);
				assertThat(((ManagedHikariDataSource) pair.getWritePool()).getConnectionGuard())
					.isInstanceOf(DatabaseCircuitBreaker.class);
				assertThat(((ManagedHikariDataSource) pair.getReadPool()).getConnectionGuard())
					.isInstanceOf(DatabaseCircuitBreaker.class);
				assertThat(dataSource.unwrap(HikariDataSource.class)).isSameAs(pair.getWritePool());
				assertThat(context.getBean(DatabaseCircuitBreakers.class).getCircuitBreakers())
					.containsOnlyKeys("dataSource.writer", "dataSource.reader");
				JdbcTemplate jdbcTemplate = context.getBean(JdbcTemplate.class);
				jdbcTemplate.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER)");
				assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM t", Integer.class)).isZero();
			});
	}

	@Test
	void aDataSourceOfTheApplicationsOwnIsLeftAlone() {
		this.runner.withUserConfiguration(UserDataSource.class).run((context) -> {
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			assertThat(context.getBean(DatabaseCircuitBreakers.class).getCircuitBreakers()).isEmpty();
		});
	}

	@Test
	void userCircuitBreakersWin() {
		this.runner.withUserConfiguration(UserCircuitBreakers.class).run((context) -> {
			assertThat(context.getBean(DatabaseCircuitBreakers.class))
				.isSameAs(context.getBean(UserCircuitBreakers.class).breakers);
			assertThat(breaker(context).getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(9);
		});
	}

	@Test
	void disabled() {
		this.runner.withPropertyValues("pool.resilience.enabled=false").run((context) -> {
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			assertThat(context).doesNotHaveBean(DatabaseCircuitBreakers.class);
		});
	}

	@Test
	void poolEnabledFalseLeavesTheDataSourceAlone() {
		this.runner.withPropertyValues("pool.enabled=false").run((context) -> {
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			assertThat(context).doesNotHaveBean(DatabaseCircuitBreakers.class);
		});
	}

	@Test
	void withoutResilience4jTheDataSourceIsLeftAlone() {
		this.runner.withClassLoader(new FilteredClassLoader("io.github.resilience4j")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			assertThat(context).doesNotHaveBean(DatabaseCircuitBreakers.class);
		});
	}

	@Test
	void metrics() {
		this.runner.run((context) -> {
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(CircuitBreakerMetrics.class).bindTo(registry);
			assertThat(registry.get("pool.resilience.circuit-breaker.state")
				.tags("name", "dataSource", "state", "closed")
				.gauge()
				.value()).isEqualTo(1);
			assertThat(registry.get("pool.resilience.circuit-breaker.state")
				.tags("name", "dataSource", "state", "open")
				.gauge()
				.value()).isZero();
			assertThat(registry.get("pool.resilience.circuit-breaker.refused").functionCounter().count()).isZero();
			assertThat(registry.get("pool.resilience.circuit-breaker.failures").functionCounter().count()).isZero();
		});
	}

	@Test
	void servletApplicationsAnswer503() {
		new WebApplicationContextRunner().withConfiguration(this.runnerConfiguration())
			.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL)
			.run((context) -> assertThat(context).hasSingleBean(UnavailableExceptionResolver.class)
				.doesNotHaveBean(UnavailableWebExceptionHandler.class));
	}

	@Test
	void reactiveApplicationsAnswer503() {
		new ReactiveWebApplicationContextRunner().withConfiguration(this.runnerConfiguration())
			.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL)
			.run((context) -> assertThat(context).hasSingleBean(UnavailableWebExceptionHandler.class)
				.doesNotHaveBean(UnavailableExceptionResolver.class));
	}

	private AutoConfigurations runnerConfiguration() {
		return AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				ResilienceAutoConfiguration.class, UnavailableWebAutoConfiguration.class);
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			pool.resilience.failure-threshold                | 0  | 0  | 1 or more
			pool.resilience.failure-threshold                | -3 | -3 | 1 or more
			pool.resilience.permitted-calls-in-half-open-state | 0  | 0  | 1 or more
			pool.resilience.wait-duration-in-open-state      | 0  | 0  | 1ms or more
			""")
	void badValueFailsStartUpNamingKeyValueAndWhatIsAllowed(String key, String value, String shown, String allowed) {
		this.runner.withPropertyValues(key + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalyses.assertReported(context.getStartupFailure(), key, shown, allowed);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserDataSource {

		@Bean
		HikariDataSource dataSource() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(Databases.POSTGRES_URL);
			return dataSource;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCircuitBreakers {

		final DatabaseCircuitBreakers breakers = new DatabaseCircuitBreakers(9, Duration.ofSeconds(1), 1);

		@Bean
		DatabaseCircuitBreakers myBreakers() {
			return this.breakers;
		}

	}

}
