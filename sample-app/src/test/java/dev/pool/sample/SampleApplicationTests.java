package dev.pool.sample;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.pool.jdbc.ReadWriteDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app as a user runs it: a real server on a random port and a fresh SQLite file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	@TempDir
	static Path directory;

	@LocalServerPort
	int port;

	@Autowired
	ReadWriteDataSource dataSource;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + directory.resolve("sample.db"));
	}

	@Test
	void writesAndReadsNotesThroughThePool() {
		RestClient client = RestClient.create("http://127.0.0.1:" + this.port);
		Map<String, Object> created = client.post()
			.uri("/notes")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "pooled"))
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
		assertThat(created).containsEntry("text", "pooled").containsKey("id");
		List<Map<String, Object>> notes = client.get()
			.uri("/notes")
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
		assertThat(notes).extracting((note) -> note.get("text")).contains("pooled");
	}

	@Test
	void theStarterMadeOneWriterAndAReaderPoolFromApplicationYml() {
		assertThat(this.dataSource.getWritePool().getMaximumPoolSize()).isEqualTo(1);
		assertThat(this.dataSource.getWritePool().getMaxLifetime()).isEqualTo(30 * 60 * 1000);
		assertThat(this.dataSource.getReadPool().getMinimumIdle()).isEqualTo(2);
		assertThat(this.dataSource.getReadPool().getMaximumPoolSize()).isEqualTo(4);
		assertThat(this.dataSource.getReadPool().isReadOnly()).isTrue();
	}

	@Test
	void healthIsUpAndShowsTheDatabase() {
		Map<String, Object> health = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/health")
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
		assertThat(health).containsEntry("status", "UP");
		assertThat(health.get("components")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsKey("db")
			.containsKey("poolLimits");
	}

}
