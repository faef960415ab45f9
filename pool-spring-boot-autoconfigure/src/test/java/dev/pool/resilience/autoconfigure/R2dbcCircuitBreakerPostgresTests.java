package dev.pool.resilience.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pool.Unavailable;
import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.r2dbc.R2dbcPools;
import dev.pool.r2dbc.autoconfigure.PoolR2dbcAutoConfiguration;
import dev.pool.r2dbc.health.R2dbcPoolHealthIndicator;
import dev.pool.resilience.DatabaseCircuitBreaker;
import dev.pool.resilience.DatabaseCircuitBreakers;
import dev.pool.resilience.DatabaseUnavailableException;
import dev.pool.resilience.metrics.CircuitBreakerMetrics;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.TcpProxy;
import dev.pool.web.reactive.UnavailableWebExceptionHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database circuit breaker in front of the starter's R2DBC pool, on the local
 * PostgreSQL through a {@link TcpProxy} that stops (the port refuses connections, as with
 * the database down) and starts again.
 */
class R2dbcCircuitBreakerPostgresTests {

	/** Far beyond any acquire timeout of these tests: only a hang reaches it. */
	private static final Duration BOUND = Duration.ofSeconds(60);

	@BeforeAll
	static void postgres() {
		Databases.assumePostgres();
	}

	@Test
	void consecutiveRefusedConnectionsOpenTheBreakerThenAcquisitionsFailAtOnceWithoutAConnectAttempt()
			throws Exception {
		DatabaseCircuitBreakers breakers = new DatabaseCircuitBreakers(3, Duration.ofSeconds(600), 1);
		try (TcpProxy proxy = new TcpProxy(Databases.POSTGRES_PORT)) {
			CountingConnectionFactory factory = new CountingConnectionFactory(
					ConnectionFactories.get(url(proxy.getPort(), "r2dbc-breaker-open")));
			ManagedConnectionPool pool = pool(factory, Duration.ofSeconds(30));
			DatabaseCircuitBreaker breaker = breakers.create("connectionFactory");
			pool.setGuard(new R2dbcCircuitBreakerGuard(breaker));
			try {
				proxy.stop();
				for (int i = 0; i < 3; i++) {
					assertThat(failure(pool.create())).isNotNull().isNotInstanceOf(DatabaseUnavailableException.class);
				}
				assertThat(factory.attempts).hasValue(3);
				assertThat(breaker.getStateName()).isEqualTo("OPEN");

				Throwable refused = failure(pool.create());
				assertThat(refused).isInstanceOf(DatabaseUnavailableException.class);
				assertThat(Unavailable.find(refused)).isNotNull();
				assertThat(factory.attempts).as("no connect attempt while open").hasValue(3);
				assertThat(breaker.getRefusedCount()).isOne();
				assertThat(breaker.getFailureCount()).isEqualTo(3);
				MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/notes"));
				new UnavailableWebExceptionHandler().handle(exchange, refused).block(BOUND);
				assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
				assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("600");

				proxy.start();
				// The test ends the open-state wait itself, as the passing of that time
				// would.
				breaker.getCircuitBreaker().transitionToHalfOpenState();
				assertThat(selectOne(pool)).isOne();
				assertThat(breaker.getStateName()).isEqualTo("CLOSED");
				assertThat(selectOne(pool)).isOne();
			}
			finally {
				pool.dispose();
			}
		}
	}

	@Test
	void anAcquireTimeoutWhileThePoolHoldsAConnectionIsLoadNotAnOutage() {
		DatabaseCircuitBreakers breakers = new DatabaseCircuitBreakers(2, Duration.ofSeconds(600), 1);
		ManagedConnectionPool pool = pool(ConnectionFactories.get(url(Databases.POSTGRES_PORT, "r2dbc-breaker-load")),
				Duration.ofMillis(200));
		DatabaseCircuitBreaker breaker = breakers.create("connectionFactory");
		pool.setGuard(new R2dbcCircuitBreakerGuard(breaker));
		try {
			Connection held = pool.create().block(BOUND);
			for (int i = 0; i < 4; i++) {
				assertThat(failure(pool.create())).isNotNull().isNotInstanceOf(DatabaseUnavailableException.class);
			}
			assertThat(breaker.getStateName()).isEqualTo("CLOSED");
			assertThat(breaker.getFailureCount()).isZero();
			Mono.from(held.close()).block(BOUND);
			assertThat(selectOne(pool)).isOne();
		}
		finally {
			pool.dispose();
		}
	}

	@Test
	void theStartersR2dbcPoolGetsABreakerNamedAfterItsBeanShownInHealthAndMeters() throws Exception {
		try (TcpProxy proxy = new TcpProxy(Databases.POSTGRES_PORT)) {
			runner(proxy.getPort()).run((context) -> {
				ManagedConnectionPool pool = (ManagedConnectionPool) context.getBean(ConnectionPool.class);
				DatabaseCircuitBreaker breaker = context.getBean(DatabaseCircuitBreakers.class)
					.getCircuitBreakers()
					.get("connectionFactory");
				assertThat(breaker).isNotNull();
				assertThat(pool.getGuard()).isNotNull();
				R2dbcPoolHealthIndicator health = new R2dbcPoolHealthIndicator("connectionFactory",
						context.getBean(R2dbcPools.class)::describe);
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(CircuitBreakerMetrics.class).bindTo(registry);
				assertThat(selectOne(pool)).isOne();
				assertThat(health.health().getDetails()).containsEntry("circuitBreaker", "CLOSED");

				proxy.stop();
				for (int i = 0; i < 2; i++) {
					assertThat(failure(pool.create())).isNotNull();
				}
				assertThat(failure(pool.create())).isInstanceOf(DatabaseUnavailableException.class);
				Health down = health.health();
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getDetails()).containsEntry("circuitBreaker", "OPEN");
				assertThat(registry.get("pool.resilience.circuit-breaker.state")
					.tag("name", "connectionFactory")
					.tag("state", "open")
					.gauge()
					.value()).isOne();

				proxy.start();
				breaker.getCircuitBreaker().transitionToHalfOpenState();
				assertThat(selectOne(pool)).isOne();
				assertThat(health.health().getDetails()).containsEntry("circuitBreaker", "CLOSED");
				assertThat(registry.get("pool.resilience.circuit-breaker.state")
					.tag("name", "connectionFactory")
					.tag("state", "closed")
					.gauge()
					.value()).isOne();
			});
		}
	}

	@Test
	void resilienceDisabledLeavesTheR2dbcPoolWithoutABreaker() {
		runner(Databases.POSTGRES_PORT).withPropertyValues("pool.resilience.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(DatabaseCircuitBreakers.class);
			assertThat(((ManagedConnectionPool) context.getBean(ConnectionPool.class)).getGuard()).isNull();
		});
	}

	private static ApplicationContextRunner runner(int port) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class, PoolR2dbcAutoConfiguration.class,
					ResilienceR2dbcAutoConfiguration.class))
			.withPropertyValues("spring.r2dbc.url=" + url(port, "r2dbc-breaker-context"),
					"spring.r2dbc.username=postgres", "pool.size=1", "pool.acquire-timeout=30s",
					"pool.resilience.failure-threshold=2", "pool.resilience.wait-duration-in-open-state=600s");
	}

	private static String url(int port, String applicationName) {
		return "r2dbc:postgresql://postgres@127.0.0.1:" + port + "/test?applicationName=" + applicationName;
	}

	private static ManagedConnectionPool pool(ConnectionFactory factory, Duration acquireTimeout) {
		ConnectionPoolConfiguration.Builder builder = ConnectionPoolConfiguration.builder(factory)
			.initialSize(0)
			.maxSize(1);
		return ManagedConnectionPool.create(builder, new ManagedConnectionPool.Limits("connectionFactory", 0,
				Duration.ofMinutes(10), null, acquireTimeout, 0, null, null));
	}

	/** What an acquisition signals instead of a connection, or null when it got one. */
	private static Throwable failure(Mono<Connection> acquisition) {
		return acquisition.flatMap((connection) -> Mono.from(connection.close()).then(Mono.<Throwable>empty()))
			.onErrorResume(Mono::just)
			.block(BOUND);
	}

	private static Integer selectOne(ConnectionPool pool) {
		return Mono
			.usingWhen(pool.create(),
					(connection) -> Mono.from(connection.createStatement("SELECT 1").execute())
						.flatMap((result) -> Mono.from(result.map((row, metadata) -> row.get(0, Integer.class)))),
					Connection::close)
			.block(BOUND);
	}

	/** Counts the connections the pool tries to open. */
	private static final class CountingConnectionFactory implements ConnectionFactory {

		private final ConnectionFactory delegate;

		private final AtomicInteger attempts = new AtomicInteger();

		CountingConnectionFactory(ConnectionFactory delegate) {
			this.delegate = delegate;
		}

		@Override
		public Publisher<? extends Connection> create() {
			return Mono.defer(() -> {
				this.attempts.incrementAndGet();
				return Mono.from(this.delegate.create());
			});
		}

		@Override
		public ConnectionFactoryMetadata getMetadata() {
			return this.delegate.getMetadata();
		}

	}

}
