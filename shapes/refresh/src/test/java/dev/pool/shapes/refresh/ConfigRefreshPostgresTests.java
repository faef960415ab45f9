package dev.pool.shapes.refresh;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.JdbcPools;
import dev.pool.testsupport.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * A JDBC service on PostgreSQL whose configuration file changes, then
 * {@code POST /actuator/refresh}: the refresh answers 200, {@code pool.size} takes effect
 * on the running pool with one INFO line, and what needs a new pool (a new URL, a
 * {@code spring.datasource.hikari.*} key) is named in a WARN and left as it was; no
 * second pool is made.
 */
@SpringBootTest(classes = RefreshShapeApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		args = "--spring.config.import=optional:file:" + ConfigRefreshPostgresTests.CONFIG_FILE)
@ExtendWith(OutputCaptureExtension.class)
class ConfigRefreshPostgresTests {

	static final String CONFIG_FILE = "target/shapes-refresh/postgres.properties";

	private static final String ID = UUID.randomUUID().toString().substring(0, 8);

	private static final String URL = "jdbc:postgresql://127.0.0.1:" + TestEnvironment.postgresPort()
			+ "/test?ApplicationName=shapes-refresh-" + ID;

	static {
		// Written before the application starts: Spring Boot reads it at start-up, Spring
		// Cloud again at each refresh.
		writeConfig(URL, 3, 20000);
	}

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcPools pools;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void postgres() {
		try (Connection connection = DriverManager.getConnection(URL, "postgres", "")) {
			connection.isValid(1);
		}
		catch (SQLException ex) {
			if (TestEnvironment.required()) {
				throw new IllegalStateException("PostgreSQL is required (CI) but " + URL + " failed", ex);
			}
			abort("PostgreSQL is not reachable: " + ex.getMessage());
		}
	}

	@Test
	void refreshAppliesThePoolSizeLiveAndLeavesWhatNeedsANewPool(CapturedOutput output) throws Exception {
		HikariDataSource pool = (HikariDataSource) this.dataSource;
		try (Connection connection = pool.getConnection()) {
			assertThat(connection.isValid(1)).isTrue();
		}
		assertThat(pool.getPoolName()).isEqualTo("refresh-shape");
		assertThat(pool.getMinimumIdle()).isEqualTo(3);
		assertThat(pool.getMaximumPoolSize()).isEqualTo(4);
		assertThat(pool.getConnectionTimeout()).isEqualTo(20000);
		int pools = this.pools.describe().size();
		long housekeepers = housekeepers();

		writeConfig(URL.replace("shapes-refresh-", "shapes-refresh-changed-"), 5, 25000);
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/refresh"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("pool.size", "spring.datasource.url",
				"spring.datasource.hikari.connection-timeout");
		// pool.size applies live: HikariCP reads it from the running pool's
		// configuration.
		assertThat(pool.getMinimumIdle()).isEqualTo(5);
		assertThat(pool.getMaximumPoolSize()).isEqualTo(6);
		assertThat(pool.getHikariConfigMXBean().getMinimumIdle()).isEqualTo(5);
		// What needs a new pool is left as it was.
		assertThat(pool.getJdbcUrl()).isEqualTo(URL);
		assertThat(pool.getConnectionTimeout()).isEqualTo(20000);
		assertThat(pool.getPoolName()).isEqualTo("refresh-shape");
		// No second pool: the same bean, the same pools, no new HikariCP thread.
		assertThat(this.dataSource).isSameAs(pool);
		List<JdbcPoolDescription> described = this.pools.describe();
		assertThat(described).hasSize(pools);
		assertThat(described.get(0).dataSource()).isSameAs(pool);
		assertThat(described.get(0).settings().get("size").value()).isEqualTo(5);
		assertThat(described.get(0).settings().get("size").source()).isEqualTo("property");
		assertThat(housekeepers()).isEqualTo(housekeepers);
		try (Connection connection = pool.getConnection()) {
			assertThat(connection.isValid(1)).isTrue();
		}
		assertThat(output).containsOnlyOnce("pool: config refresh applied to the running JDBC pools: "
				+ "pool 'refresh-shape' (DataSource 'dataSource', primary): pool.size 3 \u2192 5");
		assertThat(output).contains("WARN")
			.contains("spring.datasource.hikari.connection-timeout, spring.datasource.url changed, "
					+ "and a running JDBC pool cannot take them: restart to apply");
		assertThat(output).doesNotContain("Exception");
	}

	private static long housekeepers() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().endsWith("housekeeper"))
			.count();
	}

	private static void writeConfig(String url, int size, int connectionTimeout) {
		try {
			Path file = Path.of(CONFIG_FILE);
			Files.createDirectories(file.getParent());
			Files.writeString(file,
					String.join("\n", "spring.datasource.url=" + url, "spring.datasource.username=postgres",
							"spring.datasource.hikari.pool-name=refresh-shape",
							"spring.datasource.hikari.connection-timeout=" + connectionTimeout, "pool.size=" + size,
							"pool.overflow=1", ""));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
