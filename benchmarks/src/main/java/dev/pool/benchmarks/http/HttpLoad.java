package dev.pool.benchmarks.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import dev.pool.benchmarks.BenchmarkApplication;
import dev.pool.benchmarks.Budget;
import dev.pool.benchmarks.Median;
import dev.pool.benchmarks.report.Ratio;
import dev.pool.benchmarks.report.Section;
import dev.pool.http.HttpPools;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 4: HTTP requests to a server on 127.0.0.1 through Spring Boot's
 * {@code WebClient.Builder}, three ways: with a new connection per request (no pool), as
 * plain Spring Boot makes it (Reactor Netty's default pool), and with the starter's pool
 * ({@code pool.http.*} defaults), and the starter's pool with FIFO leases to show what
 * its LIFO default does. One request at a time, and 32 in flight.
 */
public final class HttpLoad {

	/** The section's title. */
	public static final String TITLE = "4. HTTP over 127.0.0.1: WebClient without a pool, with Spring Boot's pool, with the starter's";

	private static final int[] IN_FLIGHT = { 1, 32 };

	/**
	 * The case without a pool is capped in count (far above what a run reaches), and its
	 * connections end with a reset (SO_LINGER 0) rather than leaving a socket in
	 * TIME_WAIT for a minute each: the machine's ephemeral ports are never used up. A
	 * reset is cheaper than a normal close, so this favours the case without a pool.
	 */
	private static final int NEW_CONNECTIONS_PER_RUN = 20_000;

	/** The cap of the pooled cases: every run is bounded in count as well as in time. */
	private static final int REQUESTS_PER_RUN = 1_000_000;

	/** Round 0, which only warms up, runs each case this many times a round's warm-up. */
	private static final int WARM_UP_ROUND = 6;

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * The same application as the other benchmarks; its DataSource is never used here.
	 */
	private static final String DATASOURCE = "spring.datasource.url=jdbc:sqlite::memory:";

	private HttpLoad() {
	}

	/**
	 * Start a server on 127.0.0.1 and three applications (plain Spring Boot, the starter,
	 * the starter with FIFO leases), run every case in rounds, and stop them.
	 * @param budget how long each case runs
	 * @return the section
	 */
	public static Section run(Budget budget) throws Exception {
		LongAdder connections = new LongAdder();
		LoopResources serverLoops = LoopResources.create("benchmark-server", 1, true);
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.runOn(serverLoops)
			.doOnChannelInit((observer, channel, address) -> connections.increment())
			.route((routes) -> routes.get("/item", (request, response) -> response.sendString(Mono.just("ok"))))
			.bindNow(Duration.ofSeconds(10));
		String url = "http://127.0.0.1:" + server.port() + "/item";
		ConfigurableApplicationContext boot = BenchmarkApplication.start(DATASOURCE, "pool.enabled=false");
		List<ConfigurableApplicationContext> applications = new ArrayList<>(List.of(boot));
		try {
			ConfigurableApplicationContext starter = BenchmarkApplication.start(DATASOURCE);
			applications.add(starter);
			ConfigurableApplicationContext fifo = BenchmarkApplication.start(DATASOURCE,
					"pool.http.lease-strategy=fifo");
			applications.add(fifo);
			WebClient unpooled = boot.getBean(WebClient.Builder.class)
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())
					.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
					.option(ChannelOption.SO_LINGER, 0)))
				.build();
			WebClient bootPooled = boot.getBean(WebClient.Builder.class).build();
			WebClient starterPooled = starter.getBean(WebClient.Builder.class).build();
			WebClient fifoPooled = fifo.getBean(WebClient.Builder.class).build();
			List<Case> cases = new ArrayList<>();
			for (int inFlight : IN_FLIGHT) {
				cases.add(new Case(Kind.NO_POOL, inFlight, unpooled, null));
				cases.add(new Case(Kind.BOOT, inFlight, bootPooled, null));
				cases.add(new Case(Kind.STARTER, inFlight, starterPooled, starter.getBean(HttpPools.class)));
				cases.add(new Case(Kind.STARTER_FIFO, inFlight, fifoPooled, fifo.getBean(HttpPools.class)));
			}
			// Round 0 warms every case up (the reactive stack takes seconds of load
			// before the JIT is done with it on two cores) and is not measured; then the
			// cases take turns in a balanced order: every case runs right after every
			// other equally often (a case that leaves the machine busy, such as the one
			// that opens a connection per request, must not always precede the same one).
			for (int round = 0; round <= budget.rounds(); round++) {
				Duration warmup = (round == 0) ? budget.warmup().multipliedBy(WARM_UP_ROUND) : budget.warmup();
				for (int inFlight : IN_FLIGHT) {
					List<Case> all = cases.stream().filter((c) -> c.inFlight == inFlight).toList();
					List<Case> group = new ArrayList<>();
					for (int index : balancedOrder(all.size(), round)) {
						group.add(all.get(index));
					}
					for (Case c : group) {
						System.out.printf(Locale.ROOT, "HTTP round %d: %s, %d in flight%n", round, c.kind.label,
								c.inFlight);
						long opened = connections.sum();
						c.count(drive(c, url, warmup), connections.sum() - opened);
						if (round > 0) {
							opened = connections.sum();
							long acquired = c.acquired();
							Run run = drive(c, url, budget.measured());
							c.count(run, connections.sum() - opened);
							c.measured(run, c.acquired() - acquired);
							System.out.printf(Locale.ROOT, "  %,.0f requests/s%n", run.perSecond());
						}
					}
				}
			}
			return section(cases, HttpResources.get().maxConnections(), budget);
		}
		finally {
			// Plain Spring Boot's resource factory disposes Reactor Netty's global
			// resources: it closes last.
			Collections.reverse(applications);
			applications.forEach(ConfigurableApplicationContext::close);
			server.disposeNow(Duration.ofSeconds(10));
			serverLoops.disposeLater().block(Duration.ofSeconds(10));
		}
	}

	/**
	 * Send requests, {@code inFlight} at a time, until the time is up or the case's cap
	 * is reached, each answer checked and its latency kept.
	 */
	private static Run drive(Case c, String url, Duration duration) {
		int limit = (c.kind == Kind.NO_POOL) ? NEW_CONNECTIONS_PER_RUN : REQUESTS_PER_RUN;
		long[] latencies = new long[limit];
		int[] succeeded = { 0 };
		LongAdder failed = new LongAdder();
		List<String> messages = Collections.synchronizedList(new ArrayList<>());
		long started = System.nanoTime();
		long deadline = started + duration.toNanos();
		Flux.range(0, limit).takeWhile((i) -> System.nanoTime() < deadline).flatMap((i) -> {
			long sent = System.nanoTime();
			return c.client.get()
				.uri(url)
				.retrieve()
				.bodyToMono(String.class)
				.timeout(REQUEST_TIMEOUT)
				.switchIfEmpty(Mono.error(() -> new IllegalStateException("an empty answer")))
				.map((body) -> {
					if (!"ok".equals(body)) {
						throw new IllegalStateException("unexpected answer: " + body);
					}
					return System.nanoTime() - sent;
				})
				.onErrorResume((ex) -> {
					failed.increment();
					if (messages.size() < 10) {
						messages.add(String.valueOf(ex));
					}
					return Mono.empty();
				});
		}, c.inFlight)
			// flatMap emits one value at a time, so one writer fills the array.
			.doOnNext((latency) -> latencies[succeeded[0]++] = latency)
			.then()
			.block(duration.plus(REQUEST_TIMEOUT).plusMinutes(1));
		long elapsed = System.nanoTime() - started;
		return new Run(Arrays.copyOf(latencies, succeeded[0]), failed.sum(), List.copyOf(messages), elapsed);
	}

	/**
	 * The order of the cases in a round: a Williams design, in which over {@code size}
	 * rounds every case runs right after every other exactly once (for an even count of
	 * cases; an odd count shifts the order each round).
	 * @param size the count of cases
	 * @param round the round
	 * @return the cases' indexes in the order they run
	 */
	public static int[] balancedOrder(int size, int round) {
		int[] order = new int[size];
		for (int position = 0; position < size; position++) {
			int first = (size % 2 != 0) ? position
					: (position % 2 == 1) ? (position + 1) / 2 : (size - position / 2) % size;
			order[position] = (first + round) % size;
		}
		return order;
	}

	private static Section section(List<Case> cases, int bootPoolSize, Budget budget) {
		Section section = new Section(TITLE);
		section.paragraph("A Reactor Netty server on 127.0.0.1 answers `GET /item` with `ok`. Every client is a "
				+ "`WebClient` built from Spring Boot's auto-configured `WebClient.Builder` (so each carries Boot's "
				+ "observation filter, as in an application): **no pool** is plain Spring Boot's builder with a "
				+ "connector on `ConnectionProvider.newConnection()`, a new TCP connection for every request; "
				+ "**Spring Boot's pool** is plain Spring Boot's builder as it comes (the starter off, "
				+ "`pool.enabled=false`: Reactor Netty's global pool, up to " + bootPoolSize + " connections per "
				+ "host, FIFO, an idle connection kept until the server closes it); **the starter's pool** is the "
				+ "builder of the same application with the starter on and the `pool.http.*` defaults (Reactor Netty's "
				+ "capacity, " + bootPoolSize + " connections per host, and LIFO, idle 60 s, life 5 min, its "
				+ "statistics and meters; connect and response timeouts as Spring Boot has them); the last case "
				+ "is the starter with `pool.http.lease-strategy=fifo`, Reactor Netty's own order, to show what LIFO "
				+ "does.");
		section.paragraph("Requests are sent from a reactive loop (`Flux.flatMap`), 1 or 32 in flight, each answer "
				+ "read and checked; a run lasts " + seconds(budget.measured()) + " after " + seconds(budget.warmup())
				+ " of warm-up, in " + budget.rounds() + " round(s) after one round that only warms up ("
				+ seconds(budget.warmup().multipliedBy(WARM_UP_ROUND)) + " a case), the cases taking turns in a "
				+ "balanced order (a Williams design: over four rounds every case runs right after every other once); requests/s is the median round, latencies are over all measured "
				+ "requests of a case. A new connection per request closes "
				+ "with a reset (`SO_LINGER` 0), so that thousands of sockets in TIME_WAIT never use up the machine's "
				+ "ports: cheaper than a normal close, it flatters the case without a pool. Reuse counts the "
				+ "connections the server accepted over every request of the case, warm-up included (so a pool's "
				+ "first connections count): 1 − connections ÷ requests.");
		section.header("in flight", "case", "requests/s (median)", "rounds (slowest – fastest)", "vs no pool",
				"vs Spring Boot's pool", "p50 ms", "p99 ms", "requests (all runs)", "connections opened",
				"connection reuse");
		for (int inFlight : IN_FLIGHT) {
			Case none = find(cases, inFlight, Kind.NO_POOL);
			Case boot = find(cases, inFlight, Kind.BOOT);
			for (Case c : cases) {
				if (c.inFlight == inFlight) {
					section.row(String.valueOf(inFlight), c.kind.label, String.format(Locale.ROOT, "%,.0f", c.rate()),
							String.format(Locale.ROOT, "%,.0f – %,.0f", Collections.min(c.rates),
									Collections.max(c.rates)),
							Ratio.ofRates("", c.rate(), none.rate(), null).formatted() + "×",
							Ratio.ofRates("", c.rate(), boot.rate(), null).formatted() + "×",
							millis(c.percentile(0.50)), millis(c.percentile(0.99)),
							String.format(Locale.ROOT, "%,d", c.sent), String.format(Locale.ROOT, "%,d", c.opened),
							String.format(Locale.ROOT, "%.2f%%", c.reuse() * 100));
				}
			}
		}
		for (int inFlight : IN_FLIGHT) {
			String when = (inFlight == 1) ? "1 in flight" : inFlight + " in flight";
			Case starter = find(cases, inFlight, Kind.STARTER);
			section.ratio(Ratio.ofRates("HTTP WebClient: starter's pool ÷ no pool (" + when + ")", starter.rate(),
					find(cases, inFlight, Kind.NO_POOL).rate(), null));
			section.ratio(Ratio.ofRates("HTTP WebClient: starter's pool ÷ Spring Boot's pool (" + when + ")",
					starter.rate(), find(cases, inFlight, Kind.BOOT).rate(), (inFlight == 1) ? 1.3 : 1.0));
			section.ratio(Ratio.ofRates("HTTP WebClient: starter's pool, LIFO ÷ FIFO (" + when + ")", starter.rate(),
					find(cases, inFlight, Kind.STARTER_FIFO).rate(), null));
		}
		for (int inFlight : IN_FLIGHT) {
			Ratio paired = Ratio.ofRoundRates("", find(cases, inFlight, Kind.STARTER).rates,
					find(cases, inFlight, Kind.BOOT).rates, null);
			section.note(String.format(Locale.ROOT,
					"Starter's pool ÷ Spring Boot's pool round by round (the two "
							+ "run within seconds of each other, so a change in the machine's load between rounds "
							+ "cancels out), %d in flight: median %.3f, rounds %.3f – %.3f.",
					inFlight, paired.value(), paired.low(), paired.high()));
		}
		Case starter = find(cases, IN_FLIGHT[IN_FLIGHT.length - 1], Kind.STARTER);
		section.note("The starter's own statistics (`HttpPools`, what `/actuator/pools` shows) counted "
				+ String.format(Locale.ROOT, "%,d", starter.poolAcquired) + " acquisitions for the "
				+ String.format(Locale.ROOT, "%,d", starter.requests()) + " measured requests at " + starter.inFlight
				+ " in flight: every request went through its pool.");
		if (budget.quick()) {
			section.note("Smoke run: a fraction of a second per case. The figures mean nothing.");
		}
		return section;
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
	}

	private static String millis(long nanos) {
		return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
	}

	private static Case find(List<Case> cases, int inFlight, Kind kind) {
		return cases.stream().filter((c) -> c.inFlight == inFlight && c.kind == kind).findFirst().orElseThrow();
	}

	/**
	 * The three clients.
	 */
	enum Kind {

		NO_POOL("no pool (new connection per request)"),

		BOOT("Spring Boot's pool (`pool.enabled=false`)"),

		STARTER("**the starter's pool** (`pool.http.*` defaults)"),

		STARTER_FIFO("the starter's pool, FIFO (`pool.http.lease-strategy=fifo`)");

		final String label;

		Kind(String label) {
			this.label = label;
		}

	}

	/**
	 * One run: the latency of each successful request, the failures, the time it took.
	 */
	record Run(long[] latencies, long failed, List<String> messages, long elapsedNanos) {

		double perSecond() {
			return this.latencies.length / (this.elapsedNanos / 1e9);
		}

	}

	/**
	 * One case and what its rounds measured.
	 */
	static final class Case {

		final Kind kind;

		final int inFlight;

		final WebClient client;

		private final HttpPools pools;

		final List<Double> rates = new ArrayList<>();

		private final List<long[]> latencies = new ArrayList<>();

		/** Every request, warm-up included. */
		long sent;

		/** The connections the server accepted for this case, warm-up included. */
		long opened;

		long poolAcquired;

		Case(Kind kind, int inFlight, WebClient client, HttpPools pools) {
			this.kind = kind;
			this.inFlight = inFlight;
			this.client = client;
			this.pools = pools;
		}

		/**
		 * A request that failed fails the benchmark: no figure is reported over lost
		 * requests.
		 */
		private void check(Run run) {
			if (run.failed() > 0) {
				throw new IllegalStateException(this.kind.label + ", " + this.inFlight + " in flight: " + run.failed()
						+ " requests failed, first: " + run.messages().get(0));
			}
		}

		/**
		 * Connections the starter's default pool handed out so far; 0 for the other
		 * cases.
		 */
		long acquired() {
			return (this.pools != null) ? this.pools.stats("default").acquired() : 0;
		}

		/**
		 * Count a run's requests and the connections it opened, warm-up included: the
		 * connections a pool opens at first count against its reuse.
		 */
		void count(Run run, long opened) {
			check(run);
			this.sent += run.latencies().length;
			this.opened += opened;
		}

		/**
		 * Keep a measured run's rate and latencies.
		 */
		void measured(Run run, long acquired) {
			if (this.pools != null && acquired < run.latencies().length) {
				throw new IllegalStateException("the starter's pool handed out " + acquired + " connections for "
						+ run.latencies().length + " requests: the requests did not go through it");
			}
			this.rates.add(run.perSecond());
			this.latencies.add(run.latencies());
			this.poolAcquired += acquired;
		}

		/** Measured requests. */
		long requests() {
			return this.latencies.stream().mapToLong((run) -> run.length).sum();
		}

		double rate() {
			return Median.of(this.rates);
		}

		long percentile(double p) {
			long[] all = this.latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
			if (all.length == 0) {
				return 0;
			}
			return all[(int) Math.min(all.length - 1, Math.ceil(p * all.length) - 1)];
		}

		double reuse() {
			return (this.sent > 0) ? Math.max(0, 1 - (double) this.opened / this.sent) : Double.NaN;
		}

	}

}
