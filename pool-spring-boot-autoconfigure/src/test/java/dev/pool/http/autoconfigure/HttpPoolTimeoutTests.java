package dev.pool.http.autoconfigure;

import java.time.Duration;

import dev.pool.http.PooledWebClients;
import dev.pool.testsupport.TestHttpServer;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Drop-in: without a {@code pool.http.*} timeout key, the WebClient behind Spring Boot's
 * builder has the timeouts of plain Spring Boot (Reactor Netty's), not shorter ones; a
 * timeout that is set works. Against a real server on 127.0.0.1 that answers after a
 * one-second pause.
 */
class HttpPoolTimeoutTests {

	@RegisterExtension
	final TestHttpServer server = new TestHttpServer();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(WebClientAutoConfigurations.WITH_POOL);

	@Test
	void withoutTimeoutKeysTheConnectorHasReactorNettysTimeoutsAndAQuietResponseArrives() {
		this.runner
			.withPropertyValues("pool.http.hosts.short.base-url=" + this.server.url(),
					"pool.http.hosts.short.response-timeout=200ms")
			.run((context) -> {
				HttpClient client = ReactorNettyPools.httpClient(context.getBean(ClientHttpConnector.class));
				assertThat(ReactorNettyPools.responseTimeout(client)).isNull();
				assertThat(ReactorNettyPools.connectTimeoutMillis(client))
					.isEqualTo(ReactorNettyPools.connectTimeoutMillis(HttpClient.create()));
				assertThat(ReactorNettyPools.settings(context.getBean(ConnectionProvider.class))).containsEntry(
						"pendingAcquireTimeout", String.valueOf(ConnectionProvider.DEFAULT_POOL_ACQUIRE_TIMEOUT));
				WebClient plain = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
				assertThat(plain.get().uri("/pause").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(30)))
					.isEqualTo("after a pause");
				WebClient timed = context.getBean(PooledWebClients.class).get("short");
				assertThatException()
					.isThrownBy(() -> timed.get()
						.uri("/pause")
						.retrieve()
						.bodyToMono(String.class)
						.block(Duration.ofSeconds(30)))
					.withRootCauseInstanceOf(ReadTimeoutException.class);
			});
	}

	@Test
	void aResponseTimeoutKeyReachesTheDefaultClient() {
		this.runner.withPropertyValues("pool.http.response-timeout=200ms").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
			assertThatException().isThrownBy(
					() -> client.get().uri("/pause").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(30)))
				.withRootCauseInstanceOf(ReadTimeoutException.class);
			assertThat(client.get().uri("/ok").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(30)))
				.isEqualTo("ok");
		});
	}

	@Test
	void springHttpClientsReadTimeoutStillAppliesWithoutPoolKeys() {
		this.runner.withPropertyValues("spring.http.clients.read-timeout=200ms").run((context) -> {
			HttpClient client = ReactorNettyPools.httpClient(context.getBean(ClientHttpConnector.class));
			assertThat(ReactorNettyPools.responseTimeout(client)).isEqualTo(Duration.ofMillis(200));
			WebClient webClient = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
			assertThatException()
				.isThrownBy(() -> webClient.get()
					.uri("/pause")
					.retrieve()
					.bodyToMono(String.class)
					.block(Duration.ofSeconds(30)))
				.withRootCauseInstanceOf(ReadTimeoutException.class);
		});
	}

}
