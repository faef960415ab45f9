package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.pool.Setting;
import dev.pool.http.HttpPoolCustomizer;
import dev.pool.http.HttpPools;
import dev.pool.http.PooledWebClients;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * How {@code pool.http.*} reaches the Reactor Netty pool behind Spring Boot's WebClient,
 * read back from the built provider and connector.
 */
class PoolHttpAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(WebClientAutoConfigurations.WITH_POOL);

	@Test
	void defaultsOfTheContractReachTheBuiltProvider() {
		this.runner.run((context) -> {
			ConnectionProvider provider = context.getBean(ConnectionProvider.class);
			assertThat(provider.name()).isEqualTo("default");
			int maxConnections = HttpPoolSettings.reactorNettyMaxConnections();
			assertThat(provider.maxConnections()).isEqualTo(maxConnections);
			assertThat(ReactorNettyPools.settings(provider)).contains(
					entry("maxConnections", String.valueOf(maxConnections)),
					entry("pendingAcquireMaxCount", String.valueOf(2 * maxConnections)),
					entry("pendingAcquireTimeout", "45000"), entry("maxIdleTime", "60000"),
					entry("maxLifeTime", "300000"), entry("evictionInterval", "PT30S"),
					entry("leasingStrategy", "lifo"), entry("metricsEnabled", "true"));
			HttpClient client = ReactorNettyPools.httpClient(context.getBean(ClientHttpConnector.class));
			assertThat(ReactorNettyPools.provider(client)).isSameAs(provider);
			assertThat(ReactorNettyPools.connectTimeoutMillis(client))
				.isEqualTo(ReactorNettyPools.connectTimeoutMillis(HttpClient.create()));
			assertThat(ReactorNettyPools.responseTimeout(client)).isNull();
			HttpPoolSettings settings = context.getBean(ConnectionPools.class).settings().get("default");
			assertThat(settings.maxConnections().source()).isEqualTo(HttpPoolSettings.REACTOR_NETTY);
		});
	}

	@Test
	void everyKeyReachesTheBuiltProviderAndConnector() {
		this.runner
			.withPropertyValues("pool.http.max-connections=7", "pool.http.pending-acquire-max-count=9",
					"pool.http.pending-acquire-timeout=2s", "pool.http.max-idle-time=20s", "pool.http.max-life-time=2m",
					"pool.http.evict-in-background=5s", "pool.http.lease-strategy=FIFO", "pool.http.connect-timeout=3s",
					"pool.http.response-timeout=4s")
			.run((context) -> {
				ConnectionProvider provider = context.getBean(ConnectionProvider.class);
				assertThat(provider.maxConnections()).isEqualTo(7);
				assertThat(ReactorNettyPools.settings(provider)).contains(entry("maxConnections", "7"),
						entry("pendingAcquireMaxCount", "9"), entry("pendingAcquireTimeout", "2000"),
						entry("maxIdleTime", "20000"), entry("maxLifeTime", "120000"),
						entry("evictionInterval", "PT5S"), entry("leasingStrategy", "fifo"));
				HttpClient client = ReactorNettyPools.httpClient(context.getBean(ClientHttpConnector.class));
				assertThat(ReactorNettyPools.connectTimeoutMillis(client)).isEqualTo(3000);
				assertThat(ReactorNettyPools.responseTimeout(client)).isEqualTo(Duration.ofSeconds(4));
				HttpPoolSettings settings = context.getBean(ConnectionPools.class).settings().get("default");
				assertThat(settings.maxConnections().source()).isEqualTo(Setting.PROPERTY);
				assertThat(settings.maxConnections().key()).isEqualTo("pool.http.max-connections");
			});
	}

	@Test
	void bareNumbersAreSecondsAndEnvironmentVariablesBind() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("POOL_HTTP_MAX_CONNECTIONS", "12", "POOL_HTTP_MAX_IDLE_TIME", "20",
								"POOL_HTTP_MAX_LIFE_TIME", "600", "POOL_HTTP_PENDING_ACQUIRE_TIMEOUT", "3",
								"POOL_HTTP_LEASE_STRATEGY", "fifo", "POOL_HTTP_RESPONSE_TIMEOUT", "7"))))
			.run((context) -> {
				ConnectionProvider provider = context.getBean(ConnectionProvider.class);
				assertThat(ReactorNettyPools.settings(provider)).contains(entry("maxConnections", "12"),
						entry("maxIdleTime", "20000"), entry("maxLifeTime", "600000"),
						entry("pendingAcquireTimeout", "3000"), entry("leasingStrategy", "fifo"));
				HttpClient client = ReactorNettyPools.httpClient(context.getBean(ClientHttpConnector.class));
				assertThat(ReactorNettyPools.responseTimeout(client)).isEqualTo(Duration.ofSeconds(7));
			});
	}

	@Test
	void namedHostGetsItsOwnPoolWithOverridesAndInheritsTheRest() {
		this.runner
			.withPropertyValues("pool.http.max-idle-time=40s",
					"pool.http.hosts.billing.base-url=http://127.0.0.1:9/api",
					"pool.http.hosts.billing.max-connections=3", "pool.http.hosts.billing.response-timeout=2s")
			.run((context) -> {
				PooledWebClients clients = context.getBean(PooledWebClients.class);
				assertThat(clients.names()).containsExactly("billing");
				assertThat(clients.get("billing")).isNotNull();
				ConnectionPools pools = context.getBean(ConnectionPools.class);
				ConnectionProvider billing = pools.pool("billing").provider();
				assertThat(billing).isNotSameAs(context.getBean(ConnectionProvider.class));
				assertThat(billing.name()).isEqualTo("billing");
				assertThat(ReactorNettyPools.settings(billing)).contains(entry("maxConnections", "3"),
						entry("maxIdleTime", "40000"), entry("pendingAcquireMaxCount", "1000"));
				HttpPoolSettings settings = pools.settings().get("billing");
				assertThat(settings.maxConnections().key()).isEqualTo("pool.http.hosts.billing.max-connections");
				assertThat(settings.maxIdleTime().key()).isEqualTo("pool.http.max-idle-time");
				assertThat(settings.responseTimeout().value()).isEqualTo(Duration.ofSeconds(2));
				assertThat(context.getBean(HttpPools.class).stats()).containsKeys("default", "billing");
				assertThat(context.getBean(HostResilience.class)
					.circuitBreaker("billing")
					.getCircuitBreakerConfig()
					.getFailureRateThreshold()).isEqualTo(50);
			});
	}

	@Test
	void resilienceKeysReachTheCircuitBreakerAndBulkhead() {
		this.runner
			.withPropertyValues("pool.http.hosts.billing.base-url=http://127.0.0.1:9",
					"pool.http.hosts.billing.max-connections=6",
					"pool.http.hosts.billing.circuit-breaker.failure-rate-threshold=25",
					"pool.http.hosts.billing.circuit-breaker.minimum-number-of-calls=4",
					"pool.http.hosts.billing.circuit-breaker.sliding-window-size=8",
					"pool.http.hosts.billing.circuit-breaker.wait-duration-in-open-state=90",
					"pool.http.hosts.billing.circuit-breaker.permitted-number-of-calls-in-half-open-state=2",
					"pool.http.hosts.other.base-url=http://127.0.0.1:9",
					"pool.http.hosts.other.bulkhead.max-concurrent-calls=3",
					"pool.http.hosts.other.bulkhead.max-wait-duration=1s",
					"pool.http.hosts.other.circuit-breaker.enabled=false")
			.run((context) -> {
				HostResilience resilience = context.getBean(HostResilience.class);
				var breaker = resilience.circuitBreaker("billing").getCircuitBreakerConfig();
				assertThat(breaker.getFailureRateThreshold()).isEqualTo(25);
				assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(4);
				assertThat(breaker.getSlidingWindowSize()).isEqualTo(8);
				assertThat(breaker.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(90_000);
				assertThat(breaker.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(2);
				assertThat(resilience.bulkhead("billing").getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(6);
				assertThat(resilience.bulkhead("other").getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(3);
				assertThat(resilience.bulkhead("other").getBulkheadConfig().getMaxWaitDuration())
					.isEqualTo(Duration.ofSeconds(1));
				assertThat(resilience.circuitBreaker("other")).isNull();
			});
	}

	@Test
	void springHttpClientsTimeoutWinsOverTheDefault() {
		this.runner
			.withPropertyValues("spring.http.clients.connect-timeout=1500ms", "spring.http.clients.read-timeout=9s")
			.run((context) -> {
				HttpClient client = ReactorNettyPools.httpClient(context.getBean(ClientHttpConnector.class));
				assertThat(ReactorNettyPools.connectTimeoutMillis(client)).isEqualTo(1500);
				assertThat(ReactorNettyPools.responseTimeout(client)).isEqualTo(Duration.ofSeconds(9));
				HttpPoolSettings settings = context.getBean(ConnectionPools.class).settings().get("default");
				assertThat(settings.connectTimeout().source()).isEqualTo("spring.http.clients");
				assertThat(settings.responseTimeout().key()).isEqualTo("spring.http.clients.read-timeout");
			});
	}

	@Test
	void httpPoolDisabledLeavesWebClientAsSpringBootMakesIt() {
		this.runner.withPropertyValues("pool.http.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ConnectionPools.class)
				.doesNotHaveBean(ConnectionProvider.class)
				.doesNotHaveBean(PooledWebClients.class);
			HttpClient client = ReactorNettyPools.httpClient(context.getBean(ClientHttpConnector.class));
			assertThat(ReactorNettyPools.provider(client).name()).isNotEqualTo("default");
		});
	}

	@Test
	void starterDisabledLeavesWebClientAsSpringBootMakesIt() {
		this.runner.withPropertyValues("pool.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectionPools.class)
				.doesNotHaveBean(ConnectionProvider.class)
				.hasSingleBean(WebClient.Builder.class));
	}

	@Test
	void backsOffFromTheApplicationsConnectionProvider() {
		this.runner.withUserConfiguration(UserConnectionProvider.class).run((context) -> {
			assertThat(context).hasSingleBean(ConnectionProvider.class).hasSingleBean(ConnectionPools.class);
			assertThat(context.getBean(ConnectionProvider.class).name()).isEqualTo("mine");
			assertThat(context).doesNotHaveBean("poolHttpConnectorBuilderCustomizer");
			assertThat(context.getBean(HttpPools.class).stats()).doesNotContainKey("default");
		});
	}

	@Test
	void backsOffFromTheApplicationsReactorResourceFactory() {
		this.runner.withUserConfiguration(UserResourceFactory.class)
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectionProvider.class)
				.doesNotHaveBean("poolHttpConnectorBuilderCustomizer"));
	}

	@Test
	void applicationsConnectorCustomizerRunsLastAndWins() {
		this.runner.withUserConfiguration(UserConnectorCustomizer.class).run((context) -> {
			HttpClient client = ReactorNettyPools.httpClient(context.getBean(ClientHttpConnector.class));
			assertThat(ReactorNettyPools.provider(client).name()).isEqualTo("customized");
		});
	}

	@Test
	void applicationsPoolCustomizerIsAppliedAfterTheKeys() {
		this.runner.withPropertyValues("pool.http.max-connections=7")
			.withBean(HttpPoolCustomizer.class, () -> (name, builder) -> builder.pendingAcquireMaxCount(3))
			.run((context) -> assertThat(ReactorNettyPools.settings(context.getBean(ConnectionProvider.class)))
				.contains(entry("maxConnections", "7"), entry("pendingAcquireMaxCount", "3")));
	}

	@Test
	void withoutReactorNettyNothingIsConfigured() {
		this.runner.withClassLoader(new FilteredClassLoader(HttpClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectionPools.class)
				.doesNotHaveBean(PooledWebClients.class));
	}

	@Test
	void withoutResilience4jNamedClientsHaveNoBreaker() {
		this.runner.withClassLoader(new FilteredClassLoader(CircuitBreaker.class))
			.withPropertyValues("pool.http.hosts.billing.base-url=http://127.0.0.1:9")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(HostResilience.class);
				assertThat(context.getBean(PooledWebClients.class).get("billing")).isNotNull();
			});
	}

	@Test
	void withoutMicrometerReactorNettyMetersStayOff() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(ReactorNettyPools.settings(context.getBean(ConnectionProvider.class)))
				.contains(entry("metricsEnabled", "false")));
	}

	@Test
	void closingTheContextDisposesThePools() {
		this.runner.withPropertyValues("pool.http.hosts.billing.base-url=http://127.0.0.1:9").run((context) -> {
			ConnectionPools pools = context.getBean(ConnectionPools.class);
			ConnectionProvider billing = pools.pool("billing").provider();
			ConnectionProvider provider = context.getBean(ConnectionProvider.class);
			context.close();
			assertThat(billing.isDisposed()).isTrue();
			assertThat(provider.isDisposed()).isTrue();
			assertThat(pools.stats()).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionProvider {

		@Bean
		ConnectionProvider myConnectionProvider() {
			return ConnectionProvider.builder("mine").maxConnections(3).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserResourceFactory {

		@Bean
		ReactorResourceFactory myReactorResourceFactory() {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			return factory;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectorCustomizer {

		@Bean
		ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> myCustomizer() {
			return (builder) -> builder
				.withHttpClientFactory(() -> HttpClient.create(ConnectionProvider.create("customized", 2)));
		}

	}

}
