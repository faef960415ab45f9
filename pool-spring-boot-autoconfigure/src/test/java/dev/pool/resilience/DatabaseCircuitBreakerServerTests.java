package dev.pool.resilience;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.pool.testsupport.Databases;
import dev.pool.testsupport.Http;
import dev.pool.testsupport.TcpProxy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The database circuit breaker in a real Spring MVC application on 127.0.0.1, with the
 * database gone: once the breaker opens, callers fail at once with
 * {@link DatabaseUnavailableException} (503 over HTTP) instead of each waiting
 * {@code pool.acquire-timeout}, and once the database is back, requests succeed again
 * without a restart. The outage is a throw-away proxy in front of PostgreSQL that the
 * test stops and starts; PostgreSQL itself never stops.
 */
class DatabaseCircuitBreakerServerTests {

	private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(2);

	private static final int CALLS = 100;

	private static final String WAIT_IN_OPEN_STATE = "600s";

	@Test
	void postgresOutageFailsFastThenRecoversWithoutRestart() throws IOException {
		Databases.assumePostgres();
		try (TcpProxy proxy = new TcpProxy(Databases.POSTGRES_PORT);
				ConfigurableApplicationContext context = start(
						"jdbc:postgresql://127.0.0.1:" + proxy.getPort() + "/test")) {
			Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
			CircuitBreaker breaker = context.getBean(DatabaseCircuitBreakers.class)
				.getCircuitBreakers()
				.get("dataSource")
				.getCircuitBreaker();
			assertThat(http.get("/db").body()).isEqualTo("1");
			assertThat(context.getBean(MeterRegistry.class).find("hikaricp.connections.max").gauge())
				.as("Spring Boot's HikariCP meters reach the pool through the breaker")
				.isNotNull();

			proxy.stop();
			openTheBreaker(http, breaker);
			failFast(context.getBean(JdbcTemplate.class), breaker);
			HttpResponse<String> refused = http.get("/db");
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Retry-After")).hasValue("600");
			assertThat(refused.body()).contains("\"reason\":\"database-unavailable\"");

			proxy.start();
			await().atMost(60, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS).until(() -> {
				endTheWait(breaker);
				return http.get("/db").statusCode() == 200;
			});
			assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			assertThat(http.get("/db").body()).isEqualTo("1");
		}
	}

	@Test
	void refusedPortFailsFastOnceTheBreakerIsOpen() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		try (ConfigurableApplicationContext context = start("jdbc:postgresql://127.0.0.1:" + closedPort + "/test",
				"spring.datasource.hikari.initialization-fail-timeout=-1")) {
			Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
			CircuitBreaker breaker = context.getBean(DatabaseCircuitBreakers.class)
				.getCircuitBreakers()
				.get("dataSource")
				.getCircuitBreaker();
			openTheBreaker(http, breaker);
			failFast(context.getBean(JdbcTemplate.class), breaker);
			assertThat(http.get("/db").statusCode()).isEqualTo(503);
		}
	}

	/**
	 * Until the breaker opens, each request waits up to the acquire timeout and fails.
	 */
	private void openTheBreaker(Http http, CircuitBreaker breaker) {
		await().atMost(60, TimeUnit.SECONDS).until(() -> {
			assertThat(http.get("/db").statusCode()).isIn(500, 503);
			return breaker.getState() == CircuitBreaker.State.OPEN;
		});
	}

	/**
	 * 100 calls while the breaker is open fail with DatabaseUnavailableException, every
	 * one of them refused by the breaker without asking the pool (so without waiting
	 * {@code pool.acquire-timeout}).
	 */
	private void failFast(JdbcTemplate jdbcTemplate, CircuitBreaker breaker) {
		long notPermitted = breaker.getMetrics().getNumberOfNotPermittedCalls();
		for (int i = 0; i < CALLS; i++) {
			Throwable failure = catchThrowable(() -> jdbcTemplate.queryForObject("SELECT 1", Integer.class));
			assertThat(failure).isInstanceOf(CannotGetJdbcConnectionException.class)
				.hasCauseInstanceOf(DatabaseUnavailableException.class);
		}
		assertThat(breaker.getMetrics().getNumberOfNotPermittedCalls() - notPermitted)
			.as("calls the breaker refused without asking the pool")
			.isEqualTo(CALLS);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	/**
	 * The breaker stays open far longer than the test takes
	 * ({@value #WAIT_IN_OPEN_STATE}), so a slow machine cannot see it half-open in the
	 * middle of a check; the test ends the wait itself once the database is back, as the
	 * passing of that time would.
	 */
	private static void endTheWait(CircuitBreaker breaker) {
		if (breaker.getState() == CircuitBreaker.State.OPEN) {
			breaker.transitionToHalfOpenState();
		}
	}

	private ConfigurableApplicationContext start(String url, String... properties) {
		return new SpringApplicationBuilder(Application.class).web(WebApplicationType.SERVLET)
			.properties(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.datasource.url", url,
					"spring.datasource.username", Databases.POSTGRES_USER, "pool.size", "1", "pool.overflow", "1",
					"pool.acquire-timeout", ACQUIRE_TIMEOUT.toMillis() + "ms", "pool.resilience.failure-threshold", "2",
					"pool.resilience.wait-duration-in-open-state", WAIT_IN_OPEN_STATE))
			.properties(properties)
			.run();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@RestController
	static class Application {

		private final JdbcTemplate jdbcTemplate;

		Application(JdbcTemplate jdbcTemplate) {
			this.jdbcTemplate = jdbcTemplate;
		}

		@GetMapping("/db")
		String db() {
			return String.valueOf(this.jdbcTemplate.queryForObject("SELECT 1", Integer.class));
		}

	}

}
