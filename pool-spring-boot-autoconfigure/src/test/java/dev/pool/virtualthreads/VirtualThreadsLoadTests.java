package dev.pool.virtualthreads;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.pool.testsupport.Databases;
import dev.pool.testsupport.Http;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 2,000 concurrent requests to a Spring MVC application on virtual threads whose every
 * request holds one of a 10-connection PostgreSQL pool for 100 ms: plain Spring Boot lets
 * all of them queue on the pool, and those past the acquire timeout fail with 500; with
 * the starter's defaults for virtual threads (a request limit, a waiting room for the
 * pool) every request is answered 200 or refused with 503 and {@code Retry-After}, nobody
 * times out, health stays UP, and no virtual thread is pinned in the starter's code
 * (JFR's {@code jdk.VirtualThreadPinned}).
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsLoadTests {

	private static final int REQUESTS = 2000;

	private static final int WARM_UP = 300;

	@TempDir
	Path directory;

	@Test
	void everyRequestIsAnsweredAndNobodyWaitsPastTheAcquireTimeout() throws Exception {
		Databases.assumePostgres();
		Outcome plain = run(null, "pool.enabled=false");
		assertThat(plain.statuses().getOrDefault(500, 0))
			.as("plain Spring Boot: requests that waited past the acquire timeout, %s", plain)
			.isPositive();
		Outcome starter;
		try (Recording recording = new Recording()) {
			recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
			starter = run(recording);
			Path file = this.directory.resolve("pinning.jfr");
			recording.dump(file);
			assertThat(pinnedInTheStartersCode(file)).as("virtual threads pinned in dev.pool code").isEmpty();
		}
		assertThat(starter.statuses().keySet()).as("answers with the starter, %s", starter).containsOnly(200, 503);
		assertThat(starter.statuses().get(200)).as("served, %s", starter).isPositive();
		assertThat(starter.statuses().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
		assertThat(starter.refusedBodies())
			.allMatch((body) -> body.contains("\"reason\":\"busy\"") || body.contains("\"reason\":\"database-busy\""));
		assertThat(starter.healthStatuses()).as("health during the load, other answers: %s", starter.healthOthers())
			.containsOnly(200);
	}

	/**
	 * Start the application, send a first burst so that every class on the request paths
	 * is loaded (a virtual thread waiting for another to load a class is pinned,
	 * whoever's the class), then record the measured burst.
	 */
	private Outcome run(Recording recording, String... properties) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.SERVLET)
			.properties(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.datasource.url",
					Databases.POSTGRES_URL, "spring.datasource.username", Databases.POSTGRES_USER,
					"spring.threads.virtual.enabled", "true", "spring.datasource.hikari.connection-timeout", "10000",
					"management.endpoint.health.show-details", "always"))
			.properties(properties)
			.run()) {
			Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
			assertThat(http.get("/slow").statusCode()).isEqualTo(200);
			burst(http, WARM_UP);
			if (recording != null) {
				recording.start();
			}
			AtomicBoolean loading = new AtomicBoolean(true);
			List<Integer> health = new ArrayList<>();
			List<String> healthOthers = new ArrayList<>();
			CompletableFuture<Void> healthPoller = CompletableFuture.runAsync(() -> {
				while (loading.get()) {
					HttpResponse<String> answer = http.get("/actuator/health");
					health.add(answer.statusCode());
					if (answer.statusCode() != 200) {
						healthOthers.add(answer.body());
					}
				}
			});
			List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
			for (int i = 0; i < REQUESTS; i++) {
				requests.add(http.getAsync("/slow"));
			}
			Map<Integer, Integer> statuses = new TreeMap<>();
			List<String> refused = new ArrayList<>();
			for (CompletableFuture<HttpResponse<String>> request : requests) {
				HttpResponse<String> response = request.get(5, TimeUnit.MINUTES);
				statuses.merge(response.statusCode(), 1, Integer::sum);
				if (response.statusCode() == 503) {
					refused.add(response.body());
				}
			}
			loading.set(false);
			healthPoller.get(2, TimeUnit.MINUTES);
			if (recording != null) {
				recording.stop();
			}
			return new Outcome(statuses, refused, health, healthOthers);
		}
	}

	private static void burst(Http http, int requests) throws Exception {
		List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			sent.add(http.getAsync("/slow"));
		}
		for (CompletableFuture<HttpResponse<String>> request : sent) {
			request.get(5, TimeUnit.MINUTES);
		}
	}

	private static List<String> pinnedInTheStartersCode(Path recording) throws Exception {
		List<String> pinned = new ArrayList<>();
		for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
			if (event.getStackTrace() == null) {
				continue;
			}
			for (RecordedFrame frame : event.getStackTrace().getFrames()) {
				String type = frame.getMethod().getType().getName();
				if (type.startsWith("dev.pool.") && !type.startsWith("dev.pool.virtualthreads.")) {
					pinned.add(type + "." + frame.getMethod().getName());
				}
			}
		}
		return pinned;
	}

	private record Outcome(Map<Integer, Integer> statuses, List<String> refusedBodies, List<Integer> healthStatuses,
			List<String> healthOthers) {

		@Override
		public String toString() {
			return "statuses " + this.statuses + ", health checks " + this.healthStatuses.size();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@RestController
		static class SlowController {

			private final JdbcTemplate jdbc;

			SlowController(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			/** Holds a connection for 100 ms, as a short transaction would. */
			@GetMapping("/slow")
			String slow() {
				this.jdbc.execute("SELECT pg_sleep(0.1)");
				return "done";
			}

		}

	}

}
