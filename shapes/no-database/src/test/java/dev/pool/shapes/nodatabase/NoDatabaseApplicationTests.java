package dev.pool.shapes.nodatabase;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux service with no database, with the starter: no JDBC on the classpath, it
 * starts, calls another service through Spring Boot's WebClient, and its health and
 * {@code pools} endpoint show the HTTP pool.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class NoDatabaseApplicationTests {

	private static final DisposableServer downstream = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.route((routes) -> routes.get("/greeting", (request, response) -> response.sendString(Mono.just("hello"))))
		.bindNow();

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private ApplicationContext context;

	@Autowired
	private WebClient.Builder webClientBuilder;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void downstreamUrl(DynamicPropertyRegistry registry) {
		registry.add("downstream.url", () -> "http://127.0.0.1:" + downstream.port());
	}

	@AfterAll
	static void stopDownstream() {
		downstream.disposeNow();
	}

	@Test
	void hasNoJdbcOnTheClasspath() {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource", classLoader)).isFalse();
		assertThat(ClassUtils.isPresent("org.springframework.jdbc.core.JdbcTemplate", classLoader)).isFalse();
		assertThat(ClassUtils.isPresent("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				classLoader))
			.isFalse();
	}

	@Test
	void startsWithoutAnyDataSource() {
		assertThat(this.context.getBeanNamesForType(DataSource.class)).isEmpty();
	}

	@Test
	void startsWithoutAWordAboutMissingClasses(CapturedOutput output) {
		assertThat(output.getAll()).contains("Started NoDatabaseApplicationTests")
			.doesNotContain("not present")
			.doesNotContain("NoClassDefFoundError")
			.doesNotContain("ClassNotFoundException");
	}

	@Test
	void callsAnotherServiceThroughBootsWebClientBuilder() throws Exception {
		String direct = this.webClientBuilder.baseUrl("http://127.0.0.1:" + downstream.port())
			.build()
			.get()
			.uri("/greeting")
			.retrieve()
			.bodyToMono(String.class)
			.block();
		assertThat(direct).isEqualTo("hello");
		HttpResponse<String> relayed = get("/relay");
		assertThat(relayed.statusCode()).isEqualTo(200);
		assertThat(relayed.body()).isEqualTo("hello");
	}

	@Test
	void healthIsUpWithTheHttpPool() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode health = this.json.readTree(response.body());
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("components").path("pool").path("components").path("http").path("status").asString())
			.as(response.body())
			.isEqualTo("UP");
		assertThat(health.path("components").path("pool").path("components").has("jdbc")).isFalse();
		assertThat(health.path("components").has("db")).isFalse();
	}

	@Test
	void poolsEndpointShowsTheHttpPool() throws Exception {
		get("/relay");
		HttpResponse<String> response = get("/actuator/pools");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode pools = this.json.readTree(response.body());
		assertThat(pools.path("http").isObject()).as(response.body()).isTrue();
		assertThat(pools.path("http").size()).as(response.body()).isPositive();
		assertThat(pools.path("jdbc").size()).as(response.body()).isZero();
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
