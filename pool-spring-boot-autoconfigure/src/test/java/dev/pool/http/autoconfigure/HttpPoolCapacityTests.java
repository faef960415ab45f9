package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.pool.testsupport.TestHttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * With no {@code pool.http.*} key, the pool behind Spring Boot's
 * {@code WebClient.Builder} serves as many requests at once as Reactor Netty's global
 * pool, which a plain Spring Boot application uses; named clients keep the starter's own
 * capacity.
 */
class HttpPoolCapacityTests {

	/** More than the starter's own default of 50, well below Reactor Netty's 500. */
	private static final int REQUESTS = 120;

	@RegisterExtension
	final TestHttpServer server = new TestHttpServer();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(WebClientAutoConfigurations.WITH_POOL);

	@Test
	void everyRequestOfABatchIsInFlightAtOnceWithNoKey() {
		this.runner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
			Mono<List<String>> answers = Flux.range(0, REQUESTS)
				.flatMap((i) -> client.get().uri("/hold").retrieve().bodyToMono(String.class), REQUESTS)
				.collectList()
				.cache();
			answers.subscribe();
			try {
				// Each held request occupies one connection: the server counts them all
				// held at the same time.
				Awaitility.await()
					.atMost(Duration.ofSeconds(60))
					.untilAsserted(() -> assertThat(this.server.holding()).isEqualTo(REQUESTS));
				assertThat(this.server.connections()).isEqualTo(REQUESTS);
			}
			finally {
				this.server.release();
			}
			assertThat(answers.block(Duration.ofSeconds(30))).hasSize(REQUESTS).containsOnly("held");
		});
	}

	@Test
	void theDefaultPoolHasTheCapacityOfReactorNettysGlobalPool() {
		ConnectionProvider global = HttpResources.get();
		this.runner.run((context) -> {
			ConnectionProvider provider = context.getBean(ConnectionProvider.class);
			assertThat(provider.maxConnections()).isEqualTo(global.maxConnections())
				.isEqualTo(HttpPoolSettings.reactorNettyMaxConnections());
			assertThat(ReactorNettyPools.settings(provider)).contains(
					entry("maxConnections", String.valueOf(global.maxConnections())),
					entry("pendingAcquireMaxCount", String.valueOf(2 * global.maxConnections())),
					entry("pendingAcquireTimeout", String.valueOf(ConnectionProvider.DEFAULT_POOL_ACQUIRE_TIMEOUT)));
			HttpPoolSettings settings = context.getBean(ConnectionPools.class).settings().get("default");
			assertThat(settings.maxConnections().source()).isEqualTo(HttpPoolSettings.REACTOR_NETTY);
			assertThat(settings.pendingAcquireMaxCount().source()).isEqualTo(HttpPoolSettings.REACTOR_NETTY);
		});
	}

	@Test
	void aMaximumSetWithoutAPendingCountLetsTwiceAsManyWait() {
		this.runner.withPropertyValues("pool.http.max-connections=30").run((context) -> {
			ConnectionProvider provider = context.getBean(ConnectionProvider.class);
			assertThat(ReactorNettyPools.settings(provider)).contains(entry("maxConnections", "30"),
					entry("pendingAcquireMaxCount", "60"));
		});
	}

	@Test
	void namedClientsKeepTheStartersOwnCapacity() {
		this.runner.withPropertyValues("pool.http.hosts.billing.base-url=" + this.server.url()).run((context) -> {
			ConnectionProvider billing = context.getBean(ConnectionPools.class).pool("billing").provider();
			assertThat(ReactorNettyPools.settings(billing)).contains(entry("maxConnections", "50"),
					entry("pendingAcquireMaxCount", "1000"));
		});
	}

	@Test
	void namedClientsInheritAnExplicitCapacity() {
		this.runner
			.withPropertyValues("pool.http.max-connections=70", "pool.http.hosts.billing.base-url=" + this.server.url())
			.run((context) -> {
				ConnectionProvider billing = context.getBean(ConnectionPools.class).pool("billing").provider();
				assertThat(ReactorNettyPools.settings(billing)).contains(entry("maxConnections", "70"),
						entry("pendingAcquireMaxCount", "1000"));
			});
	}

}
