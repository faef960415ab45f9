package dev.pool.r2dbc;

import dev.pool.autoconfigure.FailureAnalyses;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.r2dbc.autoconfigure.PoolR2dbcAutoConfiguration;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code pool.*} keys on Spring Boot's R2DBC pool, without a database (a pool opens
 * nothing until it is used): the mapping, precedence against {@code spring.r2dbc.pool.*},
 * bad values, and the pool left exactly as Spring Boot makes it when no key is set.
 */
class PoolR2dbcAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class, PoolR2dbcAutoConfiguration.class))
		.withPropertyValues("spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:1/test", "spring.r2dbc.username=postgres");

	@Test
	void withoutPoolKeysThePoolIsSpringBoots() {
		this.runner.withPropertyValues("spring.r2dbc.pool.max-size=12").run((context) -> {
			ConnectionPool pool = context.getBean(ConnectionPool.class);
			assertThat(pool.getClass()).isEqualTo(ConnectionPool.class);
			assertThat(metrics(pool).getMaxAllocatedSize()).isEqualTo(12);
			assertThat(metrics(pool).getMaxPendingAcquireSize()).isEqualTo(Integer.MAX_VALUE);
			assertThat(context.getBean(R2dbcPools.class).describe()).singleElement()
				.satisfies((description) -> assertThat(description.settings()).isEmpty());
		});
	}

	@Test
	void poolKeysTuneSpringBootsPool() {
		this.runner.withPropertyValues("pool.size=3", "pool.overflow=2", "pool.max-waiting=4").run((context) -> {
			assertThat(context.getBeanNamesForType(ConnectionPool.class)).containsExactly("connectionFactory");
			ConnectionPool pool = context.getBean(ConnectionPool.class);
			assertThat(pool).isInstanceOf(ManagedConnectionPool.class);
			assertThat(metrics(pool).getMaxAllocatedSize()).isEqualTo(5);
			assertThat(metrics(pool).getMaxPendingAcquireSize()).isEqualTo(4);
			ManagedConnectionPool.Limits limits = ((ManagedConnectionPool) pool).getLimits();
			assertThat(limits.size()).isEqualTo(3);
			assertThat(limits.acquireTimeout()).hasSeconds(30);
			assertThat(limits.recycle()).hasMinutes(30);
			R2dbcPoolDescription description = context.getBean(R2dbcPools.class).describe().get(0);
			assertThat(description.name()).isEqualTo("connectionFactory");
			assertThat(description.settings().get("size").source()).isEqualTo("property");
			assertThat(description.settings().get("recycle").source()).isEqualTo("profile:balanced");
			assertThat(description.settings().get("pre-ping").value()).isEqualTo(true);
			assertThat(description.stats().maxAllocated()).isEqualTo(5);
		});
	}

	@Test
	void aProfileAloneTunesThePool() {
		this.runner.withPropertyValues("pool.profile=high-throughput").run((context) -> {
			ManagedConnectionPool pool = context.getBean(ManagedConnectionPool.class);
			assertThat(metrics(pool).getMaxAllocatedSize()).isEqualTo(10);
			assertThat(pool.getLimits().acquireTimeout()).hasSeconds(1);
		});
	}

	@Test
	void anExplicitSpringBootKeyWinsOverTheProfile() {
		this.runner
			.withPropertyValues("pool.size=3", "spring.r2dbc.pool.initial-size=3", "spring.r2dbc.pool.max-size=8",
					"spring.r2dbc.pool.max-acquire-time=5s")
			.run((context) -> {
				ManagedConnectionPool pool = context.getBean(ManagedConnectionPool.class);
				assertThat(metrics(pool).getMaxAllocatedSize()).isEqualTo(8);
				assertThat(pool.getLimits().acquireTimeout()).hasSeconds(5);
				R2dbcPoolDescription description = context.getBean(R2dbcPools.class).describe().get(0);
				assertThat(description.settings().get("overflow").value()).isEqualTo(5);
				assertThat(description.settings().get("overflow").key()).isEqualTo("spring.r2dbc.pool.max-size");
				assertThat(description.settings().get("acquire-timeout").source()).isEqualTo("spring.r2dbc.pool");
			});
	}

	@Test
	void bothKeysSetToDifferentValuesStopStartUpNamingBoth() {
		this.runner.withPropertyValues("pool.acquire-timeout=3", "spring.r2dbc.pool.max-acquire-time=5s")
			.run((context) -> assertThat(FailureAnalyses.failure(context).getKey())
				.isEqualTo("pool.acquire-timeout and spring.r2dbc.pool.max-acquire-time"));
		this.runner.withPropertyValues("pool.pre-ping=true", "spring.r2dbc.pool.validation-depth=local")
			.run((context) -> assertThat(FailureAnalyses.failure(context).getKey())
				.isEqualTo("pool.pre-ping and spring.r2dbc.pool.validation-depth"));
	}

	@Test
	void bothKeysSetToTheSameValueStart() {
		this.runner.withPropertyValues("pool.recycle=10m", "spring.r2dbc.pool.max-life-time=10m")
			.run((context) -> assertThat(context.getBean(ManagedConnectionPool.class).getLimits().recycle())
				.hasMinutes(10));
	}

	@Test
	void badValuesStopStartUpNamingTheKey() {
		this.runner.withPropertyValues("pool.recycle=10s").run((context) -> {
			PoolConfigurationException failure = FailureAnalyses.failure(context);
			assertThat(failure.getKey()).isEqualTo("pool.recycle");
			assertThat(failure.getValue()).isEqualTo("10s");
			assertThat(failure.getAllowed()).contains("30s or more");
		});
		this.runner.withPropertyValues("pool.max-waiting=-1")
			.run((context) -> assertThat(FailureAnalyses.failure(context).getKey()).isEqualTo("pool.max-waiting"));
		// An unknown profile fails to bind (pool.profile is an enum); the starter's
		// analysis of that failure is shown in PoolConfigurationFailureAnalyzerTests.
		this.runner.withPropertyValues("pool.profile=fast")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(IllegalArgumentException.class)
				.hasStackTraceContaining("Failed to bind properties under 'pool.profile'"));
	}

	@Test
	void poolEnabledFalseLeavesSpringBootsPool() {
		this.runner.withPropertyValues("pool.enabled=false", "pool.size=3")
			.run((context) -> assertThat(context.getBean(ConnectionPool.class).getClass())
				.isEqualTo(ConnectionPool.class));
	}

	@Test
	void aConnectionPoolOfTheApplicationsOwnIsLeftAlone() {
		this.runner.withPropertyValues("pool.size=3")
			.withBean("ownPool", ConnectionPool.class,
					() -> new ConnectionPool(io.r2dbc.pool.ConnectionPoolConfiguration
						.builder(io.r2dbc.spi.ConnectionFactories.get("r2dbc:postgresql://postgres@127.0.0.1:1/test"))
						.maxSize(2)
						.build()))
			.run((context) -> {
				ConnectionPool pool = context.getBean(ConnectionPool.class);
				assertThat(pool.getClass()).isEqualTo(ConnectionPool.class);
				assertThat(metrics(pool).getMaxAllocatedSize()).isEqualTo(2);
			});
	}

	@Test
	void withoutR2dbcPoolNothingIsMade() {
		this.runner.withPropertyValues("pool.size=3")
			.withClassLoader(new FilteredClassLoader("io.r2dbc.pool"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(R2dbcPools.class);
			});
	}

	private static PoolMetrics metrics(ConnectionPool pool) {
		return pool.getMetrics().orElseThrow();
	}

}
