package dev.pool.http.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.resources.ConnectionProvider;

import dev.pool.http.PooledWebClients;
import dev.pool.testsupport.TestHttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP pools through the application context's life, against a local server that
 * counts its connections: stopped (a checkpoint), started again (a restore), then closed.
 * <p>
 * Spring Boot's reactive connector runs on the event loops of its
 * {@code ReactorResourceFactory}, which a stop shuts down and a start makes anew: a
 * connector built before the stop keeps the old ones, and its requests fail after the
 * start ("event executor terminated"), with or without the starter. The tests that use a
 * client after a start therefore build the named clients on Reactor Netty's own
 * connector.
 */
class HttpPoolLifecycleTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	final TestHttpServer server = new TestHttpServer();

	@Test
	void stoppingClosesTheConnectionsOfTheNamedAndTheDefaultPool() {
		new ApplicationContextRunner().withConfiguration(WebClientAutoConfigurations.WITH_POOL)
			.withPropertyValues("pool.http.hosts.partner.base-url=" + this.server.url())
			.run((context) -> {
				WebClient partner = context.getBean(PooledWebClients.class).get("partner");
				WebClient plain = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
				assertThat(ok(partner)).isEqualTo("ok");
				assertThat(ok(plain)).isEqualTo("ok");
				assertThat(openConnections()).isEqualTo(2);

				context.stop();
				awaitOpenConnections(0);
				assertThat(context.getBean(ConnectionPools.class).stats()).containsKeys("partner", "default");
			});
	}

	/**
	 * Reactor Netty makes a disposed pool anew when a client built on it is used again:
	 * after a stop and a start the client is served, and the close still finds and closes
	 * the pool it uses.
	 */
	@Test
	void aNamedPoolServesAgainAfterAStartAndIsClosedWithTheContext() {
		namedClientsOnly().run((context) -> {
			WebClient partner = context.getBean(PooledWebClients.class).get("partner");
			assertThat(ok(partner)).isEqualTo("ok");
			ConnectionProvider pool = context.getBean(ConnectionPools.class).pool("partner").provider();

			context.stop();
			awaitOpenConnections(0);
			context.start();
			assertThat(ok(partner)).isEqualTo("ok");
			assertThat(openConnections()).isEqualTo(1);

			context.close();
			assertThat(pool.isDisposed()).as("pool disposed").isTrue();
			awaitOpenConnections(0);
		});
	}

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
