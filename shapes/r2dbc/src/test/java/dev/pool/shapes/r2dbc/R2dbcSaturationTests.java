package dev.pool.shapes.r2dbc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.testsupport.TestEnvironment;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The WebFlux application of the shape with {@code pool.size=2}, {@code pool.overflow=0}
 * and {@code pool.max-waiting=0}, end to end over HTTP: while both connections are held
 * by requests, every further concurrent request is refused at once with 503 and
 * {@code Retry-After} (the starter's answer to an {@link dev.pool.Unavailable}), and no
 * request is lost: each one gets 200 or 503.
 * <p>
 * A request holds its connection by waiting for an advisory lock that the test holds on a
 * connection of its own, so the test decides when the connections come back (no sleep, no
 * race on timing).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "pool.size=2", "pool.overflow=0", "pool.max-waiting=0", "pool.acquire-timeout=30s" })
@Import(R2dbcSaturationTests.HoldController.class)
class R2dbcSaturationTests {

	private static final String APPLICATION_NAME = "shapes-r2dbc-saturation";

	private static final long LOCK_KEY = 250_025L;

	private static final int REQUESTS = 12;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Autowired
	private ConnectionFactory connectionFactory;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void postgresReachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", TestEnvironment.postgresPort()), 5000);
		}
		catch (IOException ex) {
			String message = "PostgreSQL not reachable at 127.0.0.1:" + TestEnvironment.postgresPort();
			if (TestEnvironment.required()) {
				fail(message, ex);
			}
			Assumptions.abort(message);
		}
	}

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.r2dbc.url", () -> url(APPLICATION_NAME));
	}

	private static String url(String applicationName) {
		return "r2dbc:postgresql://postgres@127.0.0.1:" + TestEnvironment.postgresPort() + "/test?applicationName="
				+ applicationName;
	}

	@Test
	void refusesTheRequestsBeyondTheConnectionsWith503AndLosesNone() throws Exception {
		ManagedConnectionPool pool = (ManagedConnectionPool) this.connectionFactory;
		assertThat(pool.getMetrics().orElseThrow().getMaxAllocatedSize()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> pool.getMetrics().orElseThrow().idleSize() == 2
					&& pool.getMetrics().orElseThrow().allocatedSize() == 2);
		Connection lockHolder = Mono.from(ConnectionFactories.get(url(APPLICATION_NAME + "-lock")).create())
			.block(Duration.ofSeconds(10));
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		try {
			execute(lockHolder, "SELECT pg_advisory_lock(" + LOCK_KEY + ")");
			for (int i = 0; i < REQUESTS; i++) {
				responses.add(this.http
					.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/hold"))
						.timeout(Duration.ofSeconds(60))
						.build(), HttpResponse.BodyHandlers.ofString()));
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> waitingForTheLock(lockHolder) == 2
						&& responses.stream().filter(CompletableFuture::isDone).count() == REQUESTS - 2);
			assertThat(pool.getMetrics().orElseThrow().acquiredSize()).isEqualTo(2);
		}
		finally {
			execute(lockHolder, "SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
			Mono.from(lockHolder.close()).block(Duration.ofSeconds(10));
		}
		int ok = 0;
		int refused = 0;
		for (CompletableFuture<HttpResponse<String>> future : responses) {
			HttpResponse<String> response = future.get(60, TimeUnit.SECONDS);
			if (response.statusCode() == 200) {
				assertThat(response.body()).isEqualTo("held");
				ok++;
			}
			else {
				assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
				assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
				assertThat(response.body()).contains("database-busy");
				refused++;
			}
		}
		assertThat(ok).isEqualTo(2);
		assertThat(refused).isEqualTo(REQUESTS - 2);
		assertThat(ok + refused).isEqualTo(REQUESTS);
		assertThat(pool.getRefused()).isEqualTo(REQUESTS - 2);
	}

	private long waitingForTheLock(Connection connection) {
		return Flux
			.from(connection
				.createStatement("SELECT count(*) AS waiting FROM pg_stat_activity WHERE application_name = '"
						+ APPLICATION_NAME + "' AND wait_event_type = 'Lock'")
				.execute())
			.flatMap((result) -> result.map((row, metadata) -> row.get("waiting", Long.class)))
			.blockFirst(Duration.ofSeconds(10));
	}

	private static void execute(Connection connection, String sql) {
		Flux.from(connection.createStatement(sql).execute())
			.flatMap((result) -> result.getRowsUpdated())
			.then()
			.block(Duration.ofSeconds(10));
	}

	/**
	 * Holds a pooled connection until the test releases its advisory lock.
	 */
	@RestController
	static class HoldController {

		private final DatabaseClient database;

		HoldController(DatabaseClient database) {
			this.database = database;
		}

		@GetMapping("/hold")
		Mono<String> hold() {
			return this.database.sql("SELECT pg_advisory_xact_lock_shared(" + LOCK_KEY + ")")
				.fetch()
				.rowsUpdated()
				.thenReturn("held");
		}

	}

}
