package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.pool.http.HttpPoolStats;
import dev.pool.http.HttpPools;
import dev.pool.testsupport.IdleClosingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The failure this starter exists for: a server (or a load balancer in front of it) that
 * forgets idle keep-alive connections without telling the client. Requests are paced
 * across the server's idle window; with {@code max-idle-time} below it the pool never
 * hands out a connection the server has forgotten, and with the pool as Spring Boot makes
 * it the same run fails with {@code PrematureCloseException}.
 */
class PrematureCloseTests {

	private static final Duration SERVER_IDLE_TIMEOUT = Duration.ofSeconds(1);

	private static final int REQUESTS = 6;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(WebClientAutoConfigurations.WITH_POOL);

	private IdleClosingServer server;

	@BeforeEach
	void startServer() throws Exception {
		this.server = new IdleClosingServer(SERVER_IDLE_TIMEOUT);
	}

	@AfterEach
	void stopServer() throws Exception {
		this.server.close();
	}

	@Test
	void maxIdleTimeBelowTheServersIdleTimeoutMeansNoFailures() {
		this.runner.withPropertyValues("pool.http.max-idle-time=500ms").run((context) -> {
			List<Throwable> failures = pacedRequests(context.getBean(WebClient.Builder.class));
			assertThat(failures).isEmpty();
			assertThat(this.server.answered()).isEqualTo(REQUESTS);
			assertThat(this.server.closedOnArrival()).isZero();
			HttpPoolStats stats = context.getBean(HttpPools.class).stats("default");
			assertThat(stats.acquired()).isEqualTo(REQUESTS);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(context.getBean(HttpPools.class).stats("default").closedIdle())
					.isGreaterThanOrEqualTo(REQUESTS - 1));
		});
	}

	@Test
	void withThePoolAsSpringBootMakesItTheSameRunFailsWithPrematureClose() {
		this.runner.withPropertyValues("pool.enabled=false").run((context) -> {
			List<Throwable> failures = pacedRequests(context.getBean(WebClient.Builder.class));
			assertThat(failures).isNotEmpty()
				.allSatisfy((failure) -> assertThat(failure).hasRootCauseInstanceOf(PrematureCloseException.class)
					.hasStackTraceContaining("Connection prematurely closed BEFORE response"));
			assertThat(this.server.closedOnArrival()).isEqualTo(failures.size());
		});
	}

	/**
	 * Send requests one at a time, each once the server has forgotten every open
	 * connection (its idle window has passed), and collect the failures.
	 */
	private List<Throwable> pacedRequests(WebClient.Builder builder) {
		WebClient client = builder.baseUrl(this.server.url()).build();
		List<Throwable> failures = new ArrayList<>();
		for (int i = 0; i < REQUESTS; i++) {
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(50))
				.until(this.server::idleWindowPassed);
			try {
				assertThat(client.get().uri("/").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)))
					.isEqualTo("ok");
			}
			catch (RuntimeException ex) {
				failures.add(ex);
			}
		}
		return failures;
	}

}
