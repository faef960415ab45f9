package dev.pool.shapes.r2dbc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import javax.sql.DataSource;

import dev.pool.testsupport.TestEnvironment;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A WebFlux application on R2DBC and the local PostgreSQL, with the starter and no JDBC:
 * it starts, nothing asks it for a DataSource, a query answers and health is UP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class R2dbcApplicationTests {

	private static final String APPLICATION_NAME = "shapes-r2dbc";

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private ApplicationContext context;

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
		registry.add("spring.r2dbc.url", () -> "r2dbc:postgresql://127.0.0.1:" + TestEnvironment.postgresPort()
				+ "/test?applicationName=" + APPLICATION_NAME);
	}

	@Test
	void hasNoJdbcPoolOnTheClasspath() {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource", classLoader)).isFalse();
		assertThat(ClassUtils.isPresent("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				classLoader))
			.isFalse();
		assertThat(ClassUtils.isPresent("org.springframework.jdbc.core.JdbcTemplate", classLoader))
			.as("spring-jdbc comes with Spring Data R2DBC")
			.isTrue();
	}

	@Test
	void startsOnR2dbcWithoutAnyDataSource() {
		assertThat(this.context.getBeanNamesForType(ConnectionFactory.class)).isNotEmpty();
		assertThat(this.context.getBeanNamesForType(DataSource.class)).isEmpty();
	}

	@Test
	void queriesTheDatabase() throws Exception {
		HttpResponse<String> response = get("/greeting");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello from " + APPLICATION_NAME);
	}

	@Test
	void healthIsUp() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode health = this.json.readTree(response.body());
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("components").path("r2dbc").path("status").asString()).as(response.body())
			.isEqualTo("UP");
		assertThat(health.path("components").has("db")).as(response.body()).isFalse();
	}

	@Test
	void poolsEndpointAnswers() throws Exception {
		HttpResponse<String> response = get("/actuator/pools");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(this.json.readTree(response.body()).path("jdbc").size()).as(response.body()).isZero();
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
