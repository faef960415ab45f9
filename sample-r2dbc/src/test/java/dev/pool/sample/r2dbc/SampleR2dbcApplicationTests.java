package dev.pool.sample.r2dbc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import dev.pool.r2dbc.ManagedConnectionPool;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive sample as a user runs it: a real server on a free port and a fresh H2
 * file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleR2dbcApplicationTests {

	@TempDir
	static Path directory;

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	ConnectionFactory connectionFactory;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("SAMPLE_DB", () -> directory.resolve("sample").toString());
	}

	@Test
	void writesAndReadsNotesThroughThePool() throws Exception {
		HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/notes"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"pooled\"}")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode note = this.json.readTree(created.body());
		assertThat(note.path("text").asString()).isEqualTo("pooled");
		long id = note.path("id").asLong();
		assertThat(id).isPositive();

		HttpResponse<String> list = get("/notes");
		assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
		assertThat(this.json.readTree(list.body()).findValuesAsString("text")).contains("pooled");

		HttpResponse<String> one = get("/notes/" + id);
		assertThat(this.json.readTree(one.body()).path("text").asString()).isEqualTo("pooled");
		assertThat(get("/notes/" + (id + 1000)).statusCode()).isEqualTo(404);
	}

	@Test
	void refusesAnEmptyNote() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/notes"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"text\":\" \"}")));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
	}

	@Test
	void theDatabaseIsTheH2FileBehindSpringBootsConnectionPool() throws Exception {
		assertThat(this.connectionFactory).isInstanceOf(ConnectionPool.class);
		assertThat(this.connectionFactory.getMetadata().getName()).isEqualTo("H2");
		get("/notes");
		assertThat(directory.resolve("sample.mv.db")).isRegularFile();
	}

	@Test
	void healthIsUpWithSpringBootsR2dbcIndicator() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode health = this.json.readTree(response.body());
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("components").path("r2dbc").path("status").asString()).as(response.body())
			.isEqualTo("UP");
	}

	@Test
	void theStarterSizesTheConnectionPool() {
		assertThat(this.connectionFactory).isInstanceOf(ManagedConnectionPool.class);
		PoolMetrics metrics = ((ConnectionPool) this.connectionFactory).getMetrics().orElseThrow();
		assertThat(metrics.getMaxAllocatedSize()).as("pool.size + pool.overflow").isEqualTo(4);
		assertThat(metrics.getMaxPendingAcquireSize()).as("pool.max-waiting").isEqualTo(20);
	}

	@Test
	void poolsEndpointHasTheR2dbcPool() throws Exception {
		HttpResponse<String> response = get("/actuator/pools");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode r2dbc = this.json.readTree(response.body()).path("r2dbc");
		assertThat(r2dbc.size()).as(response.body()).isEqualTo(1);
		JsonNode settings = r2dbc.path("connectionFactory").path("settings");
		assertThat(settings.path("size").path("value").asInt()).as(response.body()).isEqualTo(2);
		assertThat(settings.path("overflow").path("value").asInt()).as(response.body()).isEqualTo(2);
		assertThat(r2dbc.path("connectionFactory").path("stats").path("maxAllocated").asInt()).as(response.body())
			.isEqualTo(4);
	}

	@Test
	void poolHealthHasAnR2dbcChild() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		JsonNode r2dbc = this.json.readTree(response.body())
			.path("components")
			.path("pool")
			.path("components")
			.path("r2dbc");
		assertThat(r2dbc.path("status").asString()).as(response.body()).isEqualTo("UP");
		assertThat(r2dbc.path("components").path("connectionFactory").path("status").asString()).as(response.body())
			.isEqualTo("UP");
	}

	@Test
	void theStarterBringsNoKotlin() {
		assertThat(ClassUtils.isPresent("kotlin.Unit", getClass().getClassLoader()))
			.as("the Kotlin standard library on the application's classpath")
			.isFalse();
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
