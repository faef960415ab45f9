package dev.pool.http.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.http.HttpPoolCustomizer;
import dev.pool.http.PooledWebClientCustomizer;
import dev.pool.http.PooledWebClients;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the HTTP pool: the Reactor Netty connection pool behind Spring
 * Boot's {@code WebClient.Builder} (and everything built from Spring Boot's reactive
 * connector builder) made from {@code pool.http.*}, and a {@link WebClient} with a pool
 * of its own for each host under {@code pool.http.hosts}.
 * <p>
 * It runs before Spring Boot's {@link ReactiveHttpClientAutoConfiguration}, so that its
 * conditions on missing beans see only the application's own: a
 * {@link ConnectionProvider}, {@link ReactorResourceFactory}, {@link ClientHttpConnector}
 * or {@link ClientHttpConnectorBuilder} of the application's leaves the default pool
 * alone.
 */
@AutoConfiguration(before = ReactiveHttpClientAutoConfiguration.class,
		beforeName = "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration")
@ConditionalOnClass({ WebClient.class, HttpClient.class, ReactorClientHttpConnectorBuilder.class,
		WebClientAutoConfiguration.class })
@ConditionalOnPoolEnabled
@ConditionalOnBooleanProperty(name = "pool.http.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HttpPoolProperties.class)
public final class PoolHttpAutoConfiguration {

	/**
	 * Order of the connector customizer: after Spring Boot's (0, which sets the
	 * {@code ReactorResourceFactory}), before the application's (unordered ones come
	 * last, so they win).
	 */
	static final int CONNECTOR_CUSTOMIZER_ORDER = 10;

	@Bean
	ConnectionPools poolHttpConnectionPools(HttpPoolProperties properties, Environment environment,
			ObjectProvider<HttpPoolCustomizer> customizers) {
		return new ConnectionPools(HttpPoolSettings.resolve(properties, BootHttpClientKeys.from(environment)),
				customizers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	HttpPoolObservations poolHttpObservations(ConnectionPools pools,
			ObjectProvider<HttpPoolObservations.ResilienceStates> resilience) {
		return new HttpPoolObservations(pools, resilience);
	}

	/**
	 * The named clients, each built on its first use (see {@link LazyWebClient}): an
	 * application that never calls a remote host loads no Netty and no HTTP codec classes
	 * at start-up. The settings were resolved and validated when {@link ConnectionPools}
	 * was made, so a bad {@code pool.http.*} value still stops start-up.
	 */
	@Bean
	@ConditionalOnMissingBean
	PooledWebClients pooledWebClients(ConnectionPools pools, ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<ClientHttpConnectorBuilder<?>> connectorBuilder,
			ObjectProvider<HttpClientSettings> httpClientSettings,
			ObjectProvider<PooledWebClientCustomizer> customizers) {
		Map<String, WebClient> clients = new LinkedHashMap<>();
		pools.settings().forEach((name, settings) -> {
			if (settings.baseUrl() != null) {
				clients.put(name, new LazyWebClient(name, () -> {
					WebClient.Builder builder = webClientBuilder.getIfAvailable(WebClient::builder)
						.baseUrl(settings.baseUrl())
						.clientConnector(connector(pools.pool(name), connectorBuilder.getIfAvailable(),
								httpClientSettings.getIfAvailable(HttpClientSettings::defaults)));
					customizers.orderedStream().forEach((customizer) -> customizer.customize(name, builder));
					return builder.build();
				}));
			}
		});
		return new PooledWebClients(clients);
	}

	/**
	 * A host's connector: Spring Boot's connector builder when it is Reactor Netty's (so
	 * SSL bundles, redirects and the application's customizations apply), on the host's
	 * pool and with the host's timeouts.
	 */
	private static ClientHttpConnector connector(HttpPool pool, ClientHttpConnectorBuilder<?> shared,
			HttpClientSettings settings) {
		ReactorClientHttpConnectorBuilder builder = (shared instanceof ReactorClientHttpConnectorBuilder reactor)
				? reactor : ClientHttpConnectorBuilder.reactor();
		return builder.withHttpClientFactory(pool::httpClient)
			.build(settings.withTimeouts(pool.settings().connectTimeout().value(),
					pool.settings().responseTimeout().value()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean({ ConnectionProvider.class, ReactorResourceFactory.class, ClientHttpConnector.class,
			ClientHttpConnectorBuilder.class })
	static class DefaultPoolConfiguration {

		/**
		 * The default pool, for the application to inject; made when first asked for (the
		 * connector below makes it on the first request of a {@code WebClient}).
		 */
		@Bean(destroyMethod = "")
		@Lazy
		ConnectionProvider poolHttpConnectionProvider(ConnectionPools pools) {
			return pools.pool(HttpPoolSettings.DEFAULT).provider();
		}

		/**
		 * The default pool behind Spring Boot's connector builder (and the named hosts'
		 * connectors built from it), on the event loops Spring's
		 * {@code ReactorResourceFactory} has at each connect, so that a connector built
		 * before a stop of the context still works after its start.
		 */
		@Bean
		@Order(CONNECTOR_CUSTOMIZER_ORDER)
		ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> poolHttpConnectorBuilderCustomizer(
				ConnectionPools pools, ObjectProvider<ReactorResourceFactory> resources) {
			pools.manage(HttpPoolSettings.DEFAULT);
			// The pool is made when a connector is built, not when the builder is
			// customized.
			return (builder) -> {
				ReactorClientHttpConnectorBuilder pooled = builder
					.withHttpClientFactory(() -> pools.pool(HttpPoolSettings.DEFAULT).httpClient());
				ReactorResourceFactory factory = resources.getIfUnique();
				return (factory != null)
						? pooled.withHttpClientCustomizer((client) -> client.runOn(new CurrentLoopResources(factory)))
						: pooled;
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ CircuitBreaker.class, Bulkhead.class, CircuitBreakerOperator.class, BulkheadOperator.class })
	static class HostResilienceConfiguration {

		@Bean
		@Order(0)
		HostResilience poolHttpHostResilience(HttpPoolProperties properties, ConnectionPools pools) {
			return new HostResilience(properties.getHosts(), pools.settings());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	static class MetricsConfiguration {

		/**
		 * Switch on Reactor Netty's own pool meters
		 * ({@code reactor.netty.connection.provider.*}, in Micrometer's global registry,
		 * which Spring Boot's registry joins).
		 */
		@Bean
		@Order(0)
		HttpPoolCustomizer poolHttpMetricsCustomizer() {
			return (name, builder) -> builder.metrics(true);
		}

	}

}
