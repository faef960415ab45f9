package dev.pool.http.autoconfigure;

import java.time.Duration;

import dev.pool.http.HttpPools;
import dev.pool.testsupport.TestHttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A {@code WebClient} the application builds without Spring Boot's
 * {@code WebClient.Builder} ({@code WebClient.create()}, {@code WebClient.builder()}) is
 * left alone: its requests go through Reactor Netty's global pool, never the starter's.
 */
class WebClientWithoutBootsBuilderTests {

	@RegisterExtension
	final TestHttpServer server = new TestHttpServer();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(WebClientAutoConfigurations.WITH_POOL);

	@Test
	void clientsBuiltWithoutBootsBuilderDoNotUseTheStartersPool() {
		this.runner.run((context) -> {
			HttpPools pools = context.getBean(HttpPools.class);
			assertThat(call(WebClient.create(this.server.url()))).isEqualTo("ok");
			assertThat(call(WebClient.builder().baseUrl(this.server.url()).build())).isEqualTo("ok");
			assertThat(pools.stats("default").acquired()).isZero();
			int connections = this.server.connections();
			// The starter's pool is not Reactor Netty's global one: it cannot reuse the
			// connection the global pool keeps open to the same server.
			assertThat(call(context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build()))
				.isEqualTo("ok");
			assertThat(pools.stats("default").acquired()).isOne();
			assertThat(this.server.connections()).isEqualTo(connections + 1);
		});
	}

	@Test
	void clientsBuiltWithoutBootsBuilderAreServedWhileTheStartersPoolIsFull() {
		this.runner.withPropertyValues("pool.http.max-connections=1", "pool.http.pending-acquire-max-count=0")
			.run((context) -> {
				WebClient boot = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
				Mono<String> held = boot.get().uri("/hold").retrieve().bodyToMono(String.class).cache();
				held.subscribe();
				try {
					Awaitility.await()
						.atMost(Duration.ofSeconds(30))
						.untilAsserted(() -> assertThat(this.server.holding()).isOne());
					assertThatException().isThrownBy(() -> call(boot))
						.withStackTraceContaining("No pending allowed and pool has reached allocation limit");
					assertThat(call(WebClient.create(this.server.url()))).isEqualTo("ok");
					assertThat(call(WebClient.builder().baseUrl(this.server.url()).build())).isEqualTo("ok");
				}
				finally {
					this.server.release();
				}
				assertThat(held.block(Duration.ofSeconds(10))).isEqualTo("held");
			});
	}

	private static String call(WebClient client) {
		return client.get().uri("/ok").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
	}

}
