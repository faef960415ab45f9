package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.pool.http.HttpPoolStats;
import dev.pool.http.HttpPools;
import dev.pool.testsupport.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The default pool against a real Reactor Netty server on 127.0.0.1: reuse, the pending
 * limits, and a graceful close.
 */
class HttpPoolTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(WebClientAutoConfigurations.WITH_POOL);

	@RegisterExtension
	final TestHttpServer server = new TestHttpServer();

	@Test
	void thousandSequentialRequestsReuseAHandfulOfConnections() {
		this.runner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
			for (int i = 0; i < 1000; i++) {
				assertThat(client.get().uri("/ok").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)))
					.isEqualTo("ok");
			}
			assertThat(this.server.connections()).isBetween(1, 3);
			HttpPoolStats stats = context.getBean(HttpPools.class).stats("default");
			assertThat(stats.acquired()).isEqualTo(1000);
			assertThat(stats.created()).isEqualTo(this.server.connections());
			assertThat(stats.reuseRate()).isGreaterThanOrEqualTo(0.99);
			assertThat(stats.open()).isEqualTo(this.server.connections());
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(context.getBean(HttpPools.class).stats("default").active()).isZero());
		});
	}

	@Test
	void burstBeyondConnectionsAndPendingQueueFailsAtOnceWithAClearError() {
		this.runner.withPropertyValues("pool.http.max-connections=2", "pool.http.pending-acquire-max-count=4")
			.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
				List<String> served = new CopyOnWriteArrayList<>();
				List<Throwable> rejected = new CopyOnWriteArrayList<>();
				IntStream.range(0, 20)
					.forEach((i) -> client.get()
						.uri("/hold")
						.retrieve()
						.bodyToMono(String.class)
						.subscribe(served::add, rejected::add));
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(this.server.holding()).isEqualTo(2);
					assertThat(rejected).hasSize(14);
				});
				assertThat(rejected).allSatisfy(
						(failure) -> assertThat(failure).hasRootCauseInstanceOf(PoolAcquirePendingLimitException.class)
							.hasStackTraceContaining("Pending acquire queue has reached its maximum size of 4"));
				assertThat(served).isEmpty();
				this.server.release();
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(served).hasSize(6));
				assertThat(rejected).hasSize(14);
				assertThat(this.server.connections()).isEqualTo(2);
			});
	}

	@Test
	void closingTheContextLetsARequestInFlightFinishFirst() {
		this.runner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
			List<String> answers = new CopyOnWriteArrayList<>();
			List<Throwable> failures = new CopyOnWriteArrayList<>();
			client.get().uri("/hold").retrieve().bodyToMono(String.class).subscribe(answers::add, failures::add);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.holding() == 1);
			Thread closer = new Thread(context::close, "closer");
			closer.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> waitsForThePoolToClose(closer));
			assertThat(this.server.closedConnections()).isZero();
			this.server.release();
			closer.join(Duration.ofSeconds(30).toMillis());
			assertThat(closer.isAlive()).isFalse();
			assertThat(answers).containsExactly("held");
			assertThat(failures).isEmpty();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.closedConnections() == 1);
		});
	}

	private static boolean waitsForThePoolToClose(Thread thread) {
		Thread.State state = thread.getState();
		return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
				&& Arrays.stream(thread.getStackTrace())
					.anyMatch((frame) -> frame.getClassName().equals(ConnectionPools.class.getName()));
	}

	@Test
	void closingTheContextClosesTheConnections() {
		this.runner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
			client.get().uri("/ok").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
			assertThat(this.server.connections()).isEqualTo(1);
			assertThat(this.server.closedConnections()).isZero();
			context.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.closedConnections() == 1);
		});
	}

}
