package dev.pool.benchmarks.virtualthreads;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.pool.benchmarks.Budget;
import dev.pool.benchmarks.report.Section;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Benchmark 6: a Spring MVC application whose every request holds one of 10 PostgreSQL
 * connections for 20 ms, under 1,000 concurrent clients that each send their next request
 * as soon as the last is answered (after the {@code Retry-After} of a 503): platform
 * threads (Tomcat's 200) vs virtual threads as plain Spring Boot has them vs virtual
 * threads with the starter's defaults (a request limit and a waiting room for the pool).
 * Answered requests per second, their p99, the errors by kind and the time to the first
 * error. Needs Java 21+ and PostgreSQL on 127.0.0.1:5432.
 */
public final class VirtualThreadsLoad {

	/** The section's title. */
	public static final String TITLE = "6. Virtual threads: 1,000 concurrent clients, a 10-connection PostgreSQL pool";

	static final int CLIENTS = 1000;

	static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private VirtualThreadsLoad() {
	}

	/**
	 * Why the benchmark cannot run here.
	 * @return the reason, or null when it can
	 */
	public static String unavailable() {
		if (Runtime.version().feature() < 21) {
			return "needs Java 21 or later (virtual threads): run it with JAVA_HOME at a JDK 21+ (for example "
					+ "/usr/lib/jvm/temurin-25-jdk-amd64), `benchmarks/run.sh --only=virtual-threads`";
		}
		try (Connection connection = DriverManager.getConnection(POSTGRES_URL, "postgres", "")) {
			return null;
		}
		catch (Exception ex) {
			return "needs PostgreSQL on 127.0.0.1:5432 (database test, user postgres): " + ex.getMessage();
		}
	}

	/**
	 * Run every case once per round, in rounds.
	 * @param budget how long each case runs
	 * @return the section
	 */
	public static Section run(Budget budget) throws Exception {
		Map<Case, List<Outcome>> outcomes = new TreeMap<>();
		int rounds = budget.quick() ? 1 : 3;
		for (int round = 0; round < rounds; round++) {
			for (Case each : Case.values()) {
				outcomes.computeIfAbsent(each, (key) -> new ArrayList<>()).add(measure(each, budget));
			}
		}
		Section section = new Section(TITLE).paragraph("A Spring MVC application on Tomcat, its request `SELECT "
				+ "pg_sleep(0.02)` through `JdbcTemplate` on a pool of 10 connections (PostgreSQL on 127.0.0.1, acquire "
				+ "timeout 30 s), " + CLIENTS + " clients on 127.0.0.1 each sending its next request when the last is "
				+ "answered (after the `Retry-After` of a 503, as a well-behaved client does), for "
				+ Durations.seconds(budget) + " per case after a warm-up; " + rounds
				+ " interleaved rounds, the median round shown. Java " + System.getProperty("java.version") + ".")
			.header("case", "answered/s (200)", "p99 of answered", "503", "p99 of a 503", "500", "failed (no answer)",
					"time to the first error");
		for (Case each : Case.values()) {
			Outcome median = median(outcomes.get(each));
			section.row(each.label, String.format(Locale.ROOT, "%,.0f", median.answeredPerSecond()),
					String.format(Locale.ROOT, "%.0f ms", median.p99Millis()), String.valueOf(median.refused()),
					(median.refused() == 0) ? "—" : String.format(Locale.ROOT, "%.0f ms", median.p99RefusedMillis()),
					String.valueOf(median.serverErrors()), String.valueOf(median.failed()),
					(median.firstErrorMillis() < 0) ? "none"
							: String.format(Locale.ROOT, "%.0f ms", median.firstErrorMillis()));
		}
		section.note("Every figure comes from one run on the same machine; a 503 carries `Retry-After` and is "
				+ "answered at once, a 500 is a request that waited for a connection past the acquire timeout.");
		return section;
	}

	private static Outcome median(List<Outcome> outcomes) {
		Outcome[] sorted = outcomes.toArray(Outcome[]::new);
		Arrays.sort(sorted, (a, b) -> Double.compare(a.answeredPerSecond(), b.answeredPerSecond()));
		return sorted[sorted.length / 2];
	}

	private static Outcome measure(Case each, Budget budget) throws Exception {
		List<String> properties = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--spring.datasource.url=" + POSTGRES_URL, "--spring.datasource.username=postgres",
				"--logging.level.root=WARN", "--spring.main.banner-mode=off", "--spring.main.log-startup-info=false"));
		properties.addAll(each.properties);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.SERVLET)
			.run(properties.toArray(String[]::new))) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			Duration warmup = budget.quick() ? Duration.ofMillis(200) : Duration.ofSeconds(2);
			Duration measured = budget.quick() ? Duration.ofMillis(500) : Duration.ofSeconds(10);
			load(client, port, warmup, null);
			Recorder recorder = new Recorder();
			load(client, port, measured, recorder);
			return recorder.outcome(measured);
		}
	}

	/**
	 * Every client sends its next request when the last is answered, until the time is
	 * up; every answer is waited for (bounded), so nothing is left in flight.
	 */
	private static void load(HttpClient client, int port, Duration duration, Recorder recorder) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query"))
			.timeout(Duration.ofSeconds(60))
			.GET()
			.build();
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		List<CompletableFuture<Void>> clients = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			clients.add(next(client, request, start, end, recorder));
		}
		CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
	}

	private static CompletableFuture<Void> next(HttpClient client, HttpRequest request, long start, long end,
			Recorder recorder) {
		if (System.nanoTime() >= end) {
			return CompletableFuture.completedFuture(null);
		}
		long sent = System.nanoTime();
		return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
			int status = (failure != null) ? -1 : response.statusCode();
			if (recorder != null) {
				recorder.record(start, sent, status);
			}
			// A well-behaved client waits as long as a 503 asks before it tries again.
			return (status == 503) ? response.headers().firstValueAsLong("Retry-After").orElse(1) : 0L;
		})
			.thenCompose(
					(retryAfter) -> (retryAfter > 0)
							? CompletableFuture
								.supplyAsync(() -> null,
										CompletableFuture.delayedExecutor(retryAfter, TimeUnit.SECONDS))
								.thenCompose((ignored) -> next(client, request, start, end, recorder))
							: next(client, request, start, end, recorder));
	}

	/**
	 * The answers of one measured window.
	 */
	private static final class Recorder {

		private final ConcurrentLinkedQueue<Long> answeredNanos = new ConcurrentLinkedQueue<>();

		private final ConcurrentLinkedQueue<Long> refusedNanos = new ConcurrentLinkedQueue<>();

		private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

		private final AtomicLong firstErrorNanos = new AtomicLong(-1);

		void record(long start, long sent, int status) {
			long now = System.nanoTime();
			this.statuses.computeIfAbsent(status, (key) -> new AtomicLong()).incrementAndGet();
			if (status == 200) {
				this.answeredNanos.add(now - sent);
			}
			else {
				if (status == 503) {
					this.refusedNanos.add(now - sent);
				}
				this.firstErrorNanos.compareAndSet(-1, now - start);
			}
		}

		Outcome outcome(Duration measured) {
			long firstError = this.firstErrorNanos.get();
			return new Outcome(this.answeredNanos.size() / (measured.toNanos() / 1e9), p99Millis(this.answeredNanos),
					count(503), p99Millis(this.refusedNanos), count(500), count(-1),
					(firstError < 0) ? -1 : firstError / 1e6);
		}

		private static double p99Millis(ConcurrentLinkedQueue<Long> nanos) {
			long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
			return (sorted.length == 0) ? 0
					: sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
		}

		private long count(int status) {
			AtomicLong count = this.statuses.get(status);
			return (count != null) ? count.get() : 0;
		}

	}

	private record Outcome(double answeredPerSecond, double p99Millis, long refused, double p99RefusedMillis,
			long serverErrors, long failed, double firstErrorMillis) {

	}

	/**
	 * The three ways to run the same application.
	 */
	enum Case {

		PLATFORM("platform threads (Tomcat's 200), plain Spring Boot", "--spring.threads.virtual.enabled=false",
				"--pool.enabled=false"),

		VIRTUAL("virtual threads, plain Spring Boot", "--spring.threads.virtual.enabled=true", "--pool.enabled=false"),

		VIRTUAL_WITH_STARTER("virtual threads, the starter's defaults", "--spring.threads.virtual.enabled=true");

		private final String label;

		private final List<String> properties;

		Case(String label, String... properties) {
			this.label = label;
			this.properties = List.of(properties);
		}

	}

	/**
	 * Durations in the section's text.
	 */
	private static final class Durations {

		static String seconds(Budget budget) {
			return budget.quick() ? "0.5 s" : "10 s";
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@RestController
		static class QueryController {

			private final JdbcTemplate jdbc;

			QueryController(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			/** Holds a connection for 20 ms, as a short transaction would. */
			@GetMapping("/query")
			String query() {
				this.jdbc.execute("SELECT pg_sleep(0.02)");
				return "done";
			}

		}

	}

}
