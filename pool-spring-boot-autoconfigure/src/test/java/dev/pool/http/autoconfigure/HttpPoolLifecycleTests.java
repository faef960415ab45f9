package dev.pool.http.autoconfigure;

import java.time.Duration;

import dev.pool.http.PooledWebClients;
import dev.pool.testsupport.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP pools through the application context's life, against a local server that
 * counts its connections: stopped (a checkpoint), started again (a restore), then closed.
 */
class HttpPoolLifecycleTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	final TestHttpServer server = new TestHttpServer();

	/**
	 * Reactor Netty makes a disposed pool anew when a client built on it is used again,
	 * and Spring's {@code ReactorResourceFactory} shuts its event loops down on a stop
	 * and makes new ones on a start: clients built before the stop are served after the
	 * start, and the close still finds and closes the pools they use.
	 */
	@Test
	void stoppedPoolsCloseTheirConnectionsServeAgainWhenStartedAndCloseWithTheContext() {
		new ApplicationContextRunner().withConfiguration(WebClientAutoConfigurations.WITH_POOL)
			.withPropertyValues("pool.http.hosts.partner.base-url=" + this.server.url())
			.run((context) -> {
				WebClient partner = context.getBean(PooledWebClients.class).get("partner");
				WebClient plain = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
				assertThat(ok(partner)).isEqualTo("ok");
				assertThat(ok(plain)).isEqualTo("ok");
				assertThat(openConnections()).isEqualTo(2);
				ConnectionPools pools = context.getBean(ConnectionPools.class);
				ConnectionProvider partnerPool = pools.pool("partner").provider();
				ConnectionProvider defaultPool = pools.pool(HttpPoolSettings.DEFAULT).provider();

				context.stop();
				awaitOpenConnections(0);
				assertThat(pools.stats()).containsKeys("partner", HttpPoolSettings.DEFAULT);

				context.start();
				assertThat(ok(partner)).isEqualTo("ok");
				assertThat(ok(plain)).isEqualTo("ok");
				assertThat(ok(context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build()))
					.isEqualTo("ok");
				assertThat(openConnections()).isPositive();

				context.close();
				assertThat(partnerPool.isDisposed()).as("partner pool disposed").isTrue();
				assertThat(defaultPool.isDisposed()).as("default pool disposed").isTrue();
				awaitOpenConnections(0);
			});
	}

	/**
	 * On Reactor Netty's own connector: Spring Boot's runs on the event loops of the
	 * context's {@code ReactorResourceFactory}, gone with the context.
	 */
	@Test
	void aClientUsedAfterTheCloseKeepsNoConnection() {
		namedClientsOnly().run((context) -> {
			WebClient partner = context.getBean(PooledWebClients.class).get("partner");
			assertThat(ok(partner)).isEqualTo("ok");
			context.close();
			awaitOpenConnections(0);

			assertThat(ok(partner)).isEqualTo("ok");
			awaitOpenConnections(0);
		});
	}

	@Test
	void noPoolIsMadeAfterTheClose() {
		namedClientsOnly().run((context) -> {
			ConnectionPools pools = context.getBean(ConnectionPools.class);
			context.close();
			assertThatIllegalStateException().isThrownBy(() -> pools.pool("partner"))
				.withMessageContaining("after the application context closed its HTTP pools");
		});
	}

	private ApplicationContextRunner namedClientsOnly() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PoolHttpAutoConfiguration.class, WebClientAutoConfiguration.class))
			.withPropertyValues("pool.http.hosts.partner.base-url=" + this.server.url());
	}

	private static String ok(WebClient client) {
		return client.get().uri("/ok").retrieve().bodyToMono(String.class).block(TIMEOUT);
	}

	private int openConnections() {
		return this.server.connections() - this.server.closedConnections();
	}

	private void awaitOpenConnections(int expected) {
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(openConnections()).as("connections open at the server").isEqualTo(expected));
	}

}
