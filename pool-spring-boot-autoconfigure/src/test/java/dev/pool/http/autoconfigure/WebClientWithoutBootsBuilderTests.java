package dev.pool.http.autoconfigure;

import java.time.Duration;

import dev.pool.http.HttpPools;
import dev.pool.testsupport.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

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

	private static String call(WebClient client) {
		return client.get().uri("/ok").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
	}

}
