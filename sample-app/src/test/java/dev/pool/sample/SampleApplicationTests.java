package dev.pool.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.pool.http.HttpPoolStats;
import dev.pool.http.HttpPools;
import dev.pool.http.PooledWebClientCustomizer;
import dev.pool.http.PooledWebClients;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.testsupport.TestEnvironment;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app as a user runs it: a real server on a free port and a fresh SQLite file.
 * The port is chosen before start-up (not port 0) because the named client {@code self}
 * calls the application's own URL, which its base URL names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

	private static final String SECRET = "s3cret-partner";

	private static final Path OBSERVABILITY = Path.of("..", "docs", "observability");

	@TempDir
	static Path directory;

	@LocalServerPort
	int port;

	@Autowired
	ReadWriteDataSource dataSource;

	@Autowired
	PooledWebClients clients;

	@Autowired
	HttpPools pools;

	@Autowired
	ConnectionProvider connectionProvider;

	@Autowired
	ApplicationContext context;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + directory.resolve("sample.db"));
		// A host that is never called, with credentials in its URL: they must never show.
		registry.add("pool.http.hosts.partner.base-url", () -> "https://svc:" + SECRET + "@partner.example/v1");
		int port = freePort();
		registry.add("server.port", () -> port);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
	void callsAnOutboundUrlThroughTheNamedClient() {
		RestClient client = RestClient.create("http://127.0.0.1:" + this.port);
		client.post()
			.uri("/notes")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "outbound"))
			.retrieve()
			.toBodilessEntity();
		long before = this.pools.stats("self").acquired();
		for (int i = 0; i < 3; i++) {
			Outbound body = client.get().uri("/outbound/notes").retrieve().body(Outbound.class);
			assertThat(body.notes()).extracting((note) -> note.get("text")).contains("outbound");
			assertThat(body.pool()).containsEntry("name", "self").containsEntry("acquired", (int) before + i + 1);
		}
		HttpPoolStats stats = this.pools.stats("self");
		assertThat(stats.acquired()).isEqualTo(before + 3);
	}

	@Test
	void theStarterTunedTheWebClientPoolFromApplicationYml() {
		assertThat(this.clients.names()).containsExactlyInAnyOrder("self", "partner");
		assertThat(this.connectionProvider.maxConnections()).isEqualTo(20);
		assertThat(this.context.getBeanNamesForType(PooledWebClientCustomizer.class))
			.containsExactly("poolHttpHostResilience");
	}

	@Test
	void theStarterBringsNoKotlin() {
		assertThat(ClassUtils.isPresent("kotlin.Unit", getClass().getClassLoader()))
			.as("the Kotlin standard library on the application's classpath")
			.isFalse();
	}

	@Test
	void healthIsUpAndShowsThePoolsBesideSpringBootsDbPath() {
		Map<String, Object> health = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/health")
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
		assertThat(health).containsEntry("status", "UP");
		assertThat(health.get("components")).asInstanceOf(InstanceOfAssertFactories.MAP).containsKeys("pool", "db");
		Map<String, Object> db = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/health/db")
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
		assertThat(db).containsEntry("status", "UP");
		assertThat(health).extractingByKeys("components")
			.asString()
			.contains("jdbc")
			.contains("writer")
			.contains("reader")
			.contains("limits");
	}

	@Test
	void prometheusScrapeHasEveryMeterTheAlertRulesAndTheDashboardUse() throws Exception {
		RestClient client = RestClient.create("http://127.0.0.1:" + this.port);
		client.get().uri("/outbound/notes").retrieve().toBodilessEntity();
		String scrape = client.get().uri("/actuator/prometheus").retrieve().body(String.class);
		String rules = Files.readString(OBSERVABILITY.resolve("pool-alerts.yml"));
		String dashboard = Files.readString(OBSERVABILITY.resolve("pool-dashboard.json"));
		JsonNode json = JsonMapper.builder().build().readTree(dashboard);
		assertThat(json.get("panels").size()).isPositive();
		Set<String> meters = new TreeSet<>();
		meters.addAll(meterNames(rules));
		meters.addAll(meterNames(dashboard));
		assertThat(meters).contains("pool_jdbc_utilisation", "hikaricp_connections_pending", "pool_http_reuse_ratio",
				"reactor_netty_connection_provider_pending_connections");
		Set<String> scraped = scrape.lines()
			.filter((line) -> !line.startsWith("#") && !line.isBlank())
			.map((line) -> line.replaceAll("[{ ].*", ""))
			.collect(Collectors.toSet());
		assertThat(scraped).as("meters in /actuator/prometheus").containsAll(meters);
	}

	@Test
	void promtoolAcceptsTheAlertRules() throws Exception {
		Path promtool = TestEnvironment.promtool();
		if (!Files.isExecutable(promtool)) {
			assertThat(TestEnvironment.required()).as("promtool (Debian package prometheus) is needed under CI")
				.isFalse();
			Assumptions.abort("promtool not found at " + promtool + " (apt-get install prometheus)");
		}
		Process process = new ProcessBuilder(promtool.toString(), "check", "rules",
				OBSERVABILITY.resolve("pool-alerts.yml").toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(output).isZero();
		assertThat(output).contains("SUCCESS");
	}

	@Test
	void poolsEndpointShowsEveryPoolAndNoCredential(CapturedOutput output) {
		String pools = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/pools")
			.retrieve()
			.body(String.class);
		assertThat(pools).contains("\"writer\"", "\"reader\"", "\"self\"", "\"partner\"")
			.contains("svc:******@partner.example")
			.doesNotContain(SECRET);
		assertThat(output.getAll()).doesNotContain(SECRET);
	}

	private static Set<String> meterNames(String text) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = Pattern.compile("\\b(?:hikaricp|pool|reactor_netty)_[a-z_]+\\b").matcher(text);
		while (matcher.find()) {
			names.add(matcher.group());
		}
		return names;
	}

	record Outbound(List<Map<String, Object>> notes, Map<String, Object> pool) {
	}

}
