package dev.pool.benchmarks.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import dev.pool.benchmarks.Budget;
import dev.pool.benchmarks.Load;
import dev.pool.benchmarks.Median;
import dev.pool.benchmarks.report.Ratio;
import dev.pool.benchmarks.report.Section;

/**
 * Benchmark 4, for now with plain Reactor Netty: HTTP requests to a server on 127.0.0.1
 * through a connection pool built with the contract's {@code pool.http.*} defaults, against
 * a new connection per request. The starter's own HTTP pool (its {@code WebClient.Builder})
 * is being built on another branch; once it lands, this benchmark should measure it instead
 * of a pool built here.
 */
public final class HttpLoad {

	/** The section's title. */
	public static final String TITLE = "4. HTTP over 127.0.0.1 (Reactor Netty pool with the pool.http defaults)";

	private static final int[] THREADS = { 1, 16 };

	/**
	 * The cases without a pool are capped in count (far above what a run reaches), and their
	 * connections end with a reset (SO_LINGER 0) rather than leaving a socket in TIME_WAIT
	 * for a minute each: the machine's ephemeral ports are never used up. A reset is cheaper
	 * than a normal close, so this favours the case without a pool.
	 */
	private static final int NEW_CONNECTIONS_PER_RUN = 20_000;

	private static final long UNBOUNDED = Long.MAX_VALUE;

	private HttpLoad() {
	}

	/**
	 * Start a server on 127.0.0.1, run every case in rounds, and stop it.
	 * @param budget how long each case runs
	 * @return the section
	 */
	public static Section run(Budget budget) throws Exception {
		LongAdder connections = new LongAdder();
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.doOnChannelInit((observer, channel, address) -> connections.increment())
			.route((routes) -> routes.get("/item", (request, response) -> response.sendString(Mono.just("ok"))))
			.bindNow(Duration.ofSeconds(10));
		ConnectionProvider pool = pool();
		HttpClient pooled = client(HttpClient.create(pool));
		HttpClient unpooled = client(HttpClient.create(ConnectionProvider.newConnection()))
			.option(ChannelOption.SO_LINGER, 0);
		String url = "http://127.0.0.1:" + server.port() + "/item";
		try {
			List<Case> cases = new ArrayList<>();
			for (int threads : THREADS) {
				cases.add(new Case("new connection per request (`ConnectionProvider.newConnection()`)", threads,
						unpooled, false));
				cases.add(new Case("**pool** with the `pool.http.*` defaults", threads, pooled, true));
			}
			for (int round = 1; round <= budget.rounds(); round++) {
				for (Case c : cases) {
					System.out.printf(Locale.ROOT, "HTTP round %d: %s, %d thread(s)%n", round, c.name, c.threads);
					Load.run(c.threads, budget.warmup(), c.limit(NEW_CONNECTIONS_PER_RUN), c.workers(url));
					long opened = connections.sum();
					Load.Outcome outcome = Load.run(c.threads, budget.measured(), c.limit(NEW_CONNECTIONS_PER_RUN),
							c.workers(url));
					if (outcome.errors() > 0) {
						throw new IllegalStateException(c.name + ", " + c.threads + " threads: " + outcome.errors()
								+ " requests failed, first: " + outcome.errorMessages().get(0));
					}
					c.add(outcome, connections.sum() - opened);
				}
			}
			return section(cases, budget);
		}
		finally {
			pool.disposeLater().block(Duration.ofSeconds(10));
			server.disposeNow(Duration.ofSeconds(10));
		}
	}

	/**
	 * A pool with the contract's {@code pool.http.*} defaults.
	 */
	private static ConnectionProvider pool() {
		return ConnectionProvider.builder("benchmark")
			.maxConnections(50)
			.pendingAcquireMaxCount(1000)
			.pendingAcquireTimeout(Duration.ofSeconds(30))
			.maxIdleTime(Duration.ofSeconds(60))
			.maxLifeTime(Duration.ofMinutes(5))
			.evictInBackground(Duration.ofSeconds(30))
			.lifo()
			.build();
	}

	private static HttpClient client(HttpClient client) {
		return client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000).responseTimeout(Duration.ofSeconds(30));
	}

	private static Section section(List<Case> cases, Budget budget) {
		Section section = new Section(TITLE);
		section.paragraph("Not yet the starter: its HTTP pool (`pool.http.*` behind Spring Boot's `WebClient.Builder`) "
				+ "is on another branch. Until it lands, this measures a Reactor Netty `ConnectionProvider` built with "
				+ "the contract's `pool.http.*` defaults (50 connections, LIFO, idle 60 s, life 5 min, connect 5 s, "
				+ "response 30 s) against `ConnectionProvider.newConnection()`, a new TCP connection for every request. "
				+ "Note that Spring Boot's `WebClient` pools connections by default too: this figure is what pooling "
				+ "gives over no pooling, not what the starter gives over plain Spring Boot.");
		section.paragraph("A Reactor Netty server on 127.0.0.1 answers `GET /item` with `ok`; each thread sends one "
				+ "request after another and waits for the answer, for " + seconds(budget.measured()) + " after "
				+ seconds(budget.warmup()) + " of warm-up, in " + budget.rounds() + " round(s); a case's figure is "
				+ "its median round. A new connection per request closes with a reset (`SO_LINGER` 0), so that "
				+ "thousands of sockets in TIME_WAIT never use up the machine's ports: cheaper than a normal close, "
				+ "it flatters the case without a pool. Reuse counts the connections the server accepted.");
		section.header("threads", "case", "requests/s (median)", "rounds (slowest – fastest)", "vs new connection",
				"connection reuse");
		for (int threads : THREADS) {
			Case unpooled = find(cases, threads, false);
			for (Case c : cases) {
				if (c.threads == threads) {
					section.row(String.valueOf(threads), c.name, String.format(Locale.ROOT, "%,.0f", c.rate()),
							String.format(Locale.ROOT, "%,.0f – %,.0f", Collections.min(c.rates), Collections.max(c.rates)),
							Ratio.ofRates("", c.rate(), unpooled.rate(), null).formatted() + "×",
							String.format(Locale.ROOT, "%.2f%%", c.reuse() * 100));
				}
			}
		}
		for (int threads : THREADS) {
			section.ratio(Ratio.ofRates("HTTP (Reactor Netty): pool ÷ new connection per request (" + threads
					+ (threads == 1 ? " thread)" : " threads)"), find(cases, threads, true).rate(),
					find(cases, threads, false).rate(), null));
		}
		if (budget.quick()) {
			section.note("Smoke run: a fraction of a second per case. The figures mean nothing.");
		}
		return section;
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
	}

	private static Case find(List<Case> cases, int threads, boolean pooled) {
		return cases.stream().filter((c) -> c.threads == threads && c.pooled == pooled).findFirst().orElseThrow();
	}

	/**
	 * One case and what its rounds measured.
	 */
	static final class Case {

		final String name;

		final int threads;

		final HttpClient client;

		final boolean pooled;

		final List<Double> rates = new ArrayList<>();

		private long requests;

		private long connections;

		Case(String name, int threads, HttpClient client, boolean pooled) {
			this.name = name;
			this.threads = threads;
			this.client = client;
			this.pooled = pooled;
		}

		long limit(int newConnections) {
			return this.pooled ? UNBOUNDED : Math.max(1, newConnections / this.threads);
		}

		Load.Workers workers(String url) {
			return (thread) -> () -> {
				String body = this.client.get().uri(url).responseSingle((response, content) -> {
					if (response.status().code() != 200) {
						return Mono.error(new IllegalStateException("HTTP " + response.status()));
					}
					return content.asString();
				}).block(Duration.ofSeconds(30));
				if (!"ok".equals(body)) {
					throw new IllegalStateException("unexpected answer: " + body);
				}
			};
		}

		void add(Load.Outcome outcome, long opened) {
			this.rates.add(outcome.perSecond());
			this.requests += outcome.operations();
			this.connections += opened;
		}

		double rate() {
			return Median.of(this.rates);
		}

		double reuse() {
			return (this.requests > 0) ? Math.max(0, 1 - (double) this.connections / this.requests) : Double.NaN;
		}

	}

}
