package dev.pool.http.autoconfigure;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.pool.http.HostUnavailableException;
import dev.pool.http.PooledWebClients;
import dev.pool.testsupport.TestHttpServer;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Named clients against real servers on 127.0.0.1: a host that is down or failing opens
 * its circuit breaker and then fails fast, a slow host fills its bulkhead and the next
 * call fails at once, and the other hosts are unaffected.
 */
class HostResilienceTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(WebClientAutoConfigurations.WITH_POOL);

	@RegisterExtension
	final TestHttpServer server = new TestHttpServer();

	@Test
	void hostThatIsDownOpensItsCircuitAndFailsFastWhileOthersWork() throws IOException {
		this.runner
			.withPropertyValues("pool.http.hosts.down.base-url=http://127.0.0.1:" + closedPort(),
					"pool.http.hosts.down.circuit-breaker.minimum-number-of-calls=4",
					"pool.http.hosts.down.circuit-breaker.sliding-window-size=4",
					"pool.http.hosts.up.base-url=" + this.server.url())
			.run((context) -> {
				PooledWebClients clients = context.getBean(PooledWebClients.class);
				WebClient down = clients.get("down");
				for (int i = 0; i < 4; i++) {
					assertThatThrownBy(() -> get(down, "/ok")).hasRootCauseInstanceOf(ConnectException.class);
				}
				CircuitBreaker breaker = context.getBean(HostResilience.class).circuitBreaker("down");
				assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
				assertThatExceptionOfType(HostUnavailableException.class).isThrownBy(() -> get(down, "/ok"))
					.withCauseInstanceOf(CallNotPermittedException.class)
					.satisfies((ex) -> assertThat(ex.isCircuitOpen()).isTrue());
				assertThat(breaker.getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(1);
				for (int i = 0; i < 10; i++) {
					assertThat(get(clients.get("up"), "/ok")).isEqualTo("ok");
				}
				assertThat(context.getBean(HostResilience.class).circuitBreaker("up").getState())
					.isEqualTo(CircuitBreaker.State.CLOSED);
			});
	}

	@Test
	void serverErrorsCountAsFailures() {
		this.runner
			.withPropertyValues("pool.http.hosts.failing.base-url=" + this.server.url(),
					"pool.http.hosts.failing.circuit-breaker.minimum-number-of-calls=4",
					"pool.http.hosts.failing.circuit-breaker.sliding-window-size=4")
			.run((context) -> {
				WebClient failing = context.getBean(PooledWebClients.class).get("failing");
				for (int i = 0; i < 4; i++) {
					assertThatExceptionOfType(WebClientResponseException.InternalServerError.class)
						.isThrownBy(() -> get(failing, "/fail"));
				}
				assertThatExceptionOfType(HostUnavailableException.class).isThrownBy(() -> get(failing, "/ok"))
					.withCauseInstanceOf(CallNotPermittedException.class);
			});
	}

	@Test
	void slowHostFillsItsBulkheadAndTheNextCallFailsAtOnce() {
		this.runner
			.withPropertyValues("pool.http.hosts.slow.base-url=" + this.server.url(),
					"pool.http.hosts.slow.bulkhead.max-concurrent-calls=2",
					"pool.http.hosts.other.base-url=" + this.server.url())
			.run((context) -> {
				PooledWebClients clients = context.getBean(PooledWebClients.class);
				List<String> served = new CopyOnWriteArrayList<>();
				for (int i = 0; i < 2; i++) {
					clients.get("slow").get().uri("/hold").retrieve().bodyToMono(String.class).subscribe(served::add);
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> this.server.holding() == 2);
				assertThatExceptionOfType(HostUnavailableException.class)
					.isThrownBy(() -> get(clients.get("slow"), "/ok"))
					.withCauseInstanceOf(BulkheadFullException.class)
					.satisfies((ex) -> assertThat(ex.getRetryAfterHeader()).isEqualTo("1"));
				assertThat(get(clients.get("other"), "/ok")).isEqualTo("ok");
				this.server.release();
				await().atMost(Duration.ofSeconds(10)).until(() -> served.size() == 2);
				assertThat(get(clients.get("slow"), "/ok")).isEqualTo("ok");
			});
	}

	private static String get(WebClient client, String path) {
		return client.get().uri(path).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
	}

	/**
	 * A port on 127.0.0.1 where nothing listens: a connection attempt is refused at once.
	 */
	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
