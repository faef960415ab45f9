package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pool.http.HttpPoolCustomizer;
import dev.pool.http.HttpPoolDescription;
import dev.pool.http.HttpPoolStats;
import dev.pool.http.HttpPools;
import dev.pool.http.PooledWebClientCustomizer;
import dev.pool.http.PooledWebClients;
import dev.pool.http.health.HttpPoolHealthIndicator;
import dev.pool.testsupport.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pools and named clients are made on first use, not at start-up: what an application
 * sees before and after, and a first use from many threads at once.
 */
class LazyHttpPoolTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(WebClientAutoConfigurations.WITH_POOL)
		.withUserConfiguration(Counting.class);

	@RegisterExtension
	final TestHttpServer server = new TestHttpServer();

	@Test
	void noPoolAndNoNamedClientIsMadeAtStartUp() {
		this.runner.withPropertyValues("pool.http.hosts.billing.base-url=" + this.server.url()).run((context) -> {
			Counting counting = context.getBean(Counting.class);
			PooledWebClients clients = context.getBean(PooledWebClients.class);
			WebClient billing = clients.get("billing");
			assertThat(clients.names()).containsExactly("billing");
			assertThat(counting.pools).isEmpty();
			assertThat(counting.clients).isEmpty();
			assertThat(billing.get().uri("/ok").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)))
				.isEqualTo("ok");
			// Spring Boot's WebClient.Builder comes with its connector, which may make
			// the default pool too.
			assertThat(counting.pools).containsKey("billing");
			assertThat(counting.clients).containsOnlyKeys("billing");
			assertThat(context.getBean(HttpPools.class).stats("billing").acquired()).isEqualTo(1);
			assertThat(billing.get().uri("/ok").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)))
				.isEqualTo("ok");
			assertThat(clients.get("billing")).isSameAs(billing);
			assertThat(counting.pools.get("billing")).hasValue(1);
			assertThat(counting.clients.get("billing")).hasValue(1);
		});
	}

	@Test
	void defaultPoolIsMadeByTheFirstConnectorOrWhenItsProviderIsAskedFor() {
		this.runner.run((context) -> {
			Counting counting = context.getBean(Counting.class);
			assertThat(counting.pools).isEmpty();
			WebClient client = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
			assertThat(client.get().uri("/ok").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)))
				.isEqualTo("ok");
			assertThat(counting.pools).containsOnlyKeys("default");
			assertThat(context.getBean(ConnectionProvider.class).name()).isEqualTo("default");
			assertThat(counting.pools.get("default")).hasValue(1);
		});
		this.runner.run((context) -> {
			Counting counting = context.getBean(Counting.class);
			assertThat(context.getBean(ConnectionProvider.class).name()).isEqualTo("default");
			assertThat(counting.pools).containsOnlyKeys("default");
		});
	}

	@Test
	void poolsNotUsedYetAreListedWithTheirSettingsAndZeroCounts() {
		this.runner
			.withPropertyValues("pool.http.hosts.billing.base-url=http://user:secret@127.0.0.1:9/api",
					"pool.http.hosts.billing.max-connections=4")
			.run((context) -> {
				assertThat(context.getBean(HttpPools.class).stats()).containsOnlyKeys("default", "billing")
					.allSatisfy((name, stats) -> assertThat(stats)
						.isEqualTo(new HttpPoolStats(name, 0, 0, 0, 0, 0, 0, 0, 0)));
				HttpPoolObservations observations = context.getBean(HttpPoolObservations.class);
				HttpPoolDescription billing = observations.describe().get(1);
				assertThat(billing.name()).isEqualTo("billing");
				assertThat(billing.baseUrl()).isEqualTo("http://user:******@127.0.0.1:9/api");
				assertThat(billing.circuitBreaker()).isEqualTo("CLOSED");
				assertThat(billing.bulkheadAvailable()).isEqualTo(4);
				Health health = new HttpPoolHealthIndicator("billing", observations::describe).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("baseUrl", "http://user:******@127.0.0.1:9/api")
					.containsEntry("maxConnections", 4)
					.containsEntry("open", 0)
					.containsEntry("acquired", 0L)
					.containsEntry("circuitBreaker", "CLOSED")
					.containsEntry("bulkheadAvailable", 4);
				assertThat(context.getBean(Counting.class).pools).isEmpty();
			});
	}

	@Test
	void namedClientUsedFirstByManyThreadsAtOnceIsBuiltExactlyOnce() {
		int threads = 8;
		this.runner.withPropertyValues("pool.http.hosts.billing.base-url=" + this.server.url()).run((context) -> {
			Counting counting = context.getBean(Counting.class);
			WebClient billing = context.getBean(PooledWebClients.class).get("billing");
			CountDownLatch start = new CountDownLatch(1);
			List<Thread> callers = new ArrayList<>();
			List<String> answers = new CopyOnWriteArrayList<>();
			// The first thread to build the client holds it until every other thread has
			// asked
			// for the client too and waits inside it: without a guard, each would build
			// one.
			counting.whileBuilding = () -> {
				Thread builder = Thread.currentThread();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> callers.stream()
						.filter((caller) -> caller != builder)
						.allMatch(LazyHttpPoolTests::waitsForTheClient));
			};
			for (int i = 0; i < threads; i++) {
				callers.add(new Thread(() -> {
					try {
						start.await();
						answers.add(billing.get()
							.uri("/ok")
							.retrieve()
							.bodyToMono(String.class)
							.block(Duration.ofSeconds(10)));
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}, "first-use-" + i));
			}
			callers.forEach(Thread::start);
			start.countDown();
			for (Thread caller : callers) {
				caller.join(Duration.ofSeconds(30).toMillis());
			}
			assertThat(answers).hasSize(threads).containsOnly("ok");
			assertThat(counting.clients.get("billing")).hasValue(1);
			assertThat(counting.pools.get("billing")).hasValue(1);
		});
	}

	private static boolean waitsForTheClient(Thread thread) {
		Thread.State state = thread.getState();
		return (state == Thread.State.WAITING || state == Thread.State.BLOCKED) && Arrays.stream(thread.getStackTrace())
			.anyMatch((frame) -> frame.getClassName().equals(LazyWebClient.class.getName()));
	}

	/**
	 * Counts the pools made (each runs the {@link HttpPoolCustomizer}s once) and the
	 * named clients built (each runs the {@link PooledWebClientCustomizer}s once).
	 */
	@Configuration(proxyBeanMethods = false)
	static class Counting {

		final Map<String, AtomicInteger> pools = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> clients = new ConcurrentHashMap<>();

		volatile Runnable whileBuilding = () -> {
		};

		@Bean
		HttpPoolCustomizer countingPoolCustomizer() {
			return (name, builder) -> this.pools.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
		}

		@Bean
		PooledWebClientCustomizer countingClientCustomizer() {
			return (name, builder) -> {
				this.clients.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
				this.whileBuilding.run();
			};
		}

	}

}
