package dev.pool.benchmarks.r2dbc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import dev.pool.benchmarks.Budget;
import dev.pool.benchmarks.Median;
import dev.pool.benchmarks.http.HttpLoad;
import dev.pool.benchmarks.report.Ratio;
import dev.pool.benchmarks.report.Section;
import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.testsupport.TestEnvironment;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ValidationDepth;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Benchmark 7: a short query on the local PostgreSQL over R2DBC (r2dbc-postgresql), 1 and
 * 16 in flight: a new connection per query, r2dbc-pool as Spring Boot configures it, the
 * starter's pool (the {@code pool.*} mapping of issue 25), and the starter's pool with
 * pre-ping off, to show what pre-ping (REMOTE validation) costs.
 */
public final class R2dbcLoad {

	/** The section's title. */
	public static final String TITLE = "7. R2DBC on PostgreSQL over 127.0.0.1: no pool, Spring Boot's r2dbc-pool, the starter's";

	/**
	 * The application name the benchmark's connections show in {@code pg_stat_activity}.
	 */
	public static final String APPLICATION_NAME = "pool-benchmark-r2dbc";

	private static final String QUERY = "SELECT $1::int4 + 1";

	private static final int[] IN_FLIGHT = { 1, 16 };

	/**
	 * Every new connection leaves a socket in TIME_WAIT for a minute: a new connection
	 * per query is capped in count per run (far above what a run reaches here) so it
	 * never uses up the machine's ephemeral ports.
	 */
	private static final int NEW_CONNECTIONS_PER_RUN = 3000;

	/** The cap of the pooled cases: every run is bounded in count as well as in time. */
	private static final int QUERIES_PER_RUN = 1_000_000;

	/** Round 0, which only warms up, runs each case this many times a round's warm-up. */
	private static final int WARM_UP_ROUND = 6;

	private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * What pre-ping waits for an answer before it discards a connection: bounded, so that
	 * a server that stops answering costs a caller this long, not forever.
	 */
	static final Duration MAX_VALIDATION_TIME = Duration.ofSeconds(5);

	private R2dbcLoad() {
	}

	/**
	 * Whether this machine can run the benchmark.
	 * @return null when it can, otherwise why not
	 */
	public static String unavailable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", TestEnvironment.postgresPort()), 5000);
			return null;
		}
		catch (IOException ex) {
			return "PostgreSQL not reachable at 127.0.0.1:" + TestEnvironment.postgresPort()
					+ " (database `test`, user `postgres`, trust authentication)";
		}
	}

	/**
	 * Make the pools, run every case in rounds, and close them.
	 * @param budget how long each case runs
	 * @return the section
	 */
	public static Section run(Budget budget) throws Exception {
		List<Pools.Counted> factories = new ArrayList<>();
		Pools.Counted raw = Pools.counted(driver());
		factories.add(raw);
		List<ConnectionPool> pools = new ArrayList<>();
		try {
			Pools.Counted bootDriver = Pools.counted(driver());
			ConnectionPool boot = Pools.springBoot(bootDriver);
			Pools.Counted starterDriver = Pools.counted(driver());
			ConnectionPool starter = Pools.starter(starterDriver, true);
			Pools.Counted noPrePingDriver = Pools.counted(driver());
			ConnectionPool noPrePing = Pools.starter(noPrePingDriver, false);
			pools.addAll(List.of(boot, starter, noPrePing));
			for (ConnectionPool pool : pools) {
				pool.warmup().block(QUERY_TIMEOUT);
			}
			String version = Mono
				.usingWhen(Mono.<Connection>from(raw.create()),
						(connection) -> Flux.from(connection.createStatement("SHOW server_version").execute())
							.flatMap((result) -> result.map((row, metadata) -> row.get(0, String.class)))
							.single(),
						Connection::close)
				.block(QUERY_TIMEOUT);
			List<Case> cases = new ArrayList<>();
			for (int inFlight : IN_FLIGHT) {
				cases.add(new Case(Kind.NO_POOL, inFlight, raw, raw));
				cases.add(new Case(Kind.BOOT, inFlight, boot, bootDriver));
				cases.add(new Case(Kind.STARTER, inFlight, starter, starterDriver));
				cases.add(new Case(Kind.STARTER_NO_PRE_PING, inFlight, noPrePing, noPrePingDriver));
			}
			// Round 0 warms every case up and is not measured; then the cases take turns
			// in a balanced order, as in the HTTP benchmark.
			for (int round = 0; round <= budget.rounds(); round++) {
				Duration warmup = (round == 0) ? budget.warmup().multipliedBy(WARM_UP_ROUND) : budget.warmup();
				for (int inFlight : IN_FLIGHT) {
					List<Case> all = cases.stream().filter((c) -> c.inFlight == inFlight).toList();
					for (int index : HttpLoad.balancedOrder(all.size(), round)) {
						Case c = all.get(index);
						System.out.printf(Locale.ROOT, "R2DBC round %d: %s, %d in flight%n", round, c.kind.label,
								c.inFlight);
						c.count(drive(c, warmup));
						if (round > 0) {
							Run run = drive(c, budget.measured());
							c.count(run);
							c.measured(run);
							System.out.printf(Locale.ROOT, "  %,.0f queries/s%n", run.perSecond());
						}
					}
				}
			}
			return section(cases, version, budget);
		}
		finally {
			for (ConnectionPool pool : pools) {
				pool.disposeLater().block(QUERY_TIMEOUT);
			}
		}
	}

	/**
	 * r2dbc-postgresql's connection factory for the local server, as Spring Boot makes it
	 * from {@code spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:5432/test}.
	 */
	private static ConnectionFactory driver() {
		return new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
			.host("127.0.0.1")
			.port(TestEnvironment.postgresPort())
			.database("test")
			.username("postgres")
			.applicationName(APPLICATION_NAME)
			.build());
	}

	/**
	 * Run queries, {@code inFlight} at a time, until the time is up or the case's cap is
	 * reached, each answer checked and its latency kept; count the connections opened.
	 */
	private static Run drive(Case c, Duration duration) {
		int limit = (c.kind == Kind.NO_POOL) ? NEW_CONNECTIONS_PER_RUN : QUERIES_PER_RUN;
		long[] latencies = new long[limit];
		int[] succeeded = { 0 };
		LongAdder failed = new LongAdder();
		List<String> messages = Collections.synchronizedList(new ArrayList<>());
		long opened = c.driver.opened();
		long started = System.nanoTime();
		long deadline = started + duration.toNanos();
		Flux.range(0, limit).takeWhile((i) -> System.nanoTime() < deadline).flatMap((i) -> {
			long sent = System.nanoTime();
			int value = ThreadLocalRandom.current().nextInt(1_000_000);
			return Mono
				.usingWhen(Mono.<Connection>from(c.connections.create()), (connection) -> query(connection, value),
						Connection::close)
				.timeout(QUERY_TIMEOUT)
				.map((answer) -> {
					if (answer != value + 1) {
						throw new IllegalStateException("unexpected answer " + answer + " to " + value);
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
			.block(duration.plus(QUERY_TIMEOUT).plusMinutes(1));
		long elapsed = System.nanoTime() - started;
		return new Run(Arrays.copyOf(latencies, succeeded[0]), failed.sum(), List.copyOf(messages), elapsed,
				c.driver.opened() - opened);
	}

	private static Mono<Integer> query(Connection connection, int value) {
		return Flux.from(connection.createStatement(QUERY).bind("$1", value).execute())
			.flatMap((result) -> result.map((row, metadata) -> row.get(0, Integer.class)))
			.single();
	}

	private static Section section(List<Case> cases, String version, Budget budget) {
		Section section = new Section(TITLE);
		section.paragraph("The local PostgreSQL " + version + " on 127.0.0.1 (trust authentication, database `test`, "
				+ "user `postgres`), through r2dbc-postgresql; every case runs `" + QUERY + "` with a random bound "
				+ "value and checks the answer. **New connection** opens one with r2dbc-postgresql's "
				+ "`PostgresqlConnectionFactory` for every query and closes it; **Spring Boot's pool** is r2dbc-pool's "
				+ "`ConnectionPool` with Spring Boot's defaults (`spring.r2dbc.pool.*` unset: " + Pools.BOOT + "); "
				+ "**the starter's pool** is a `ConnectionPool` with what the starter maps " + Pools.STARTER_KEYS
				+ " to (" + Pools.STARTER + "); the last case is the same with `pool.pre-ping=false` (validation "
				+ "`LOCAL`, as Spring Boot's). Every pool is warmed up (`warmup()`) before the first run and "
				+ "stays open for the whole benchmark; at 16 in flight each pool holds its 10 connections at most.");
		section.paragraph("Queries are sent from a reactive loop (`Flux.flatMap` over `Mono.usingWhen(create(), "
				+ "query, close)`), 1 or 16 in flight; a run lasts " + seconds(budget.measured()) + " after "
				+ seconds(budget.warmup()) + " of warm-up, in " + budget.rounds() + " round(s) after one round that "
				+ "only warms up (" + seconds(budget.warmup().multipliedBy(WARM_UP_ROUND)) + " a case), the cases "
				+ "taking turns in a balanced order (a Williams design, as in benchmark 4); queries/s is the median "
				+ "round, latencies are over all measured queries of a case. A new connection per query is capped at "
				+ String.format(Locale.ROOT, "%,d", NEW_CONNECTIONS_PER_RUN) + " a run (TIME_WAIT). Reuse counts "
				+ "the connections each case's driver opened while the case ran, over every query of the case "
				+ "(warm-up runs included, the connections a pool opened at its `warmup()` not): "
				+ "1 − connections ÷ queries.");
		section.header("in flight", "case", "queries/s (median)", "rounds (slowest – fastest)", "vs new connection",
				"vs Spring Boot's pool", "p50 ms", "p99 ms", "queries (all runs)", "connections opened",
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
			String when = " (" + inFlight + " in flight)";
			Case none = find(cases, inFlight, Kind.NO_POOL);
			Case boot = find(cases, inFlight, Kind.BOOT);
			Case starter = find(cases, inFlight, Kind.STARTER);
			Case noPrePing = find(cases, inFlight, Kind.STARTER_NO_PRE_PING);
			section.ratio(Ratio.ofRoundRates("R2DBC: Spring Boot's r2dbc-pool ÷ new connection per query" + when,
					boot.rates, none.rates, null));
			section.ratio(Ratio.ofRoundRates("R2DBC: starter's pool ÷ Spring Boot's pool" + when, starter.rates,
					boot.rates, null));
			section.ratio(Ratio.ofRoundRates("R2DBC: starter's pool, pre-ping on (REMOTE) ÷ off (LOCAL)" + when,
					starter.rates, noPrePing.rates, null));
		}
		section.note("Ratios are the median of the rounds' ratios (the two cases of a round run within seconds of "
				+ "each other, so a change in the machine's load between rounds cancels out), with the lowest and "
				+ "highest round.");
		section.note("Pre-ping on is r2dbc-pool's `ValidationDepth.REMOTE` on every acquisition: r2dbc-postgresql "
				+ "then sends a query and waits for its answer before the connection is handed out (a round trip), "
				+ "bounded by `maxValidationTime` (" + MAX_VALIDATION_TIME.toSeconds() + " s here): a connection that "
				+ "does not answer in time is discarded. `LOCAL` only looks at whether the connection's channel is "
				+ "open.");
		section.note("The starter's pool is its own `ManagedConnectionPool`, configured here as its auto-configuration "
				+ "configures it for these keys (`" + Pools.class.getSimpleName()
				+ ".starter`), not taken from a Spring Boot application: Spring Boot's R2DBC is not on the "
				+ "class path of the other benchmark applications.");
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
	 * The cases.
	 */
	enum Kind {

		NO_POOL("new connection per query"),

		BOOT("Spring Boot's r2dbc-pool (its defaults)"),

		STARTER("**the starter's pool** (pre-ping on)"),

		STARTER_NO_PRE_PING("the starter's pool, `pool.pre-ping=false`");

		final String label;

		Kind(String label) {
			this.label = label;
		}

	}

	/**
	 * One run: the latency of each successful query, the failures, the time it took and
	 * the connections the driver opened meanwhile.
	 */
	record Run(long[] latencies, long failed, List<String> messages, long elapsedNanos, long opened) {

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

		final ConnectionFactory connections;

		final Pools.Counted driver;

		final List<Double> rates = new ArrayList<>();

		private final List<long[]> latencies = new ArrayList<>();

		/** Every query, warm-up included. */
		long sent;

		/** The connections the case's driver opened, warm-up included. */
		long opened;

		Case(Kind kind, int inFlight, ConnectionFactory connections, Pools.Counted driver) {
			this.kind = kind;
			this.inFlight = inFlight;
			this.connections = connections;
			this.driver = driver;
		}

		/**
		 * Count a run's queries and connections. A query that failed fails the benchmark:
		 * no figure is reported over lost queries.
		 */
		void count(Run run) {
			if (run.failed() > 0) {
				throw new IllegalStateException(this.kind.label + ", " + this.inFlight + " in flight: " + run.failed()
						+ " queries failed, first: " + run.messages().get(0));
			}
			this.sent += run.latencies().length;
			this.opened += run.opened();
		}

		void measured(Run run) {
			this.rates.add(run.perSecond());
			this.latencies.add(run.latencies());
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

	/**
	 * The pools the benchmark compares, each built in one place.
	 */
	static final class Pools {

		/** Spring Boot's defaults, as its {@code R2dbcProperties.Pool} has them. */
		static final String BOOT = "initial size 10, max size 10, no min idle, max idle time 30 min, no max life "
				+ "time, no acquire or validation timeout, 1 acquire retry, validation `LOCAL`";

		/** The keys of the starter's case. */
		static final String STARTER_KEYS = "`pool.profile=balanced` (size 5, overflow 5, overflow-idle-timeout 30 s, "
				+ "recycle 30 min, acquire-timeout 30 s) and `pool.pre-ping=true`";

		/** What they map to. */
		static final String STARTER = "the starter's `ManagedConnectionPool`: initial size and min idle 5 (kept "
				+ "after idle eviction), max size 5 + 5 = 10, max idle time 30 s for the overflow, max life time 30 "
				+ "min, an acquire timeout of 30 s over retries, validation `REMOTE` bounded by a max validation "
				+ "time of " + MAX_VALIDATION_TIME.toSeconds() + " s (a connection that fails it is discarded)";

		private Pools() {
		}

		/**
		 * r2dbc-pool as Spring Boot's auto-configuration makes it with no
		 * {@code spring.r2dbc.pool.*} key (the defaults of {@code R2dbcProperties.Pool}
		 * in Spring Boot 4.1, copied onto the builder as its
		 * {@code ConnectionFactoryConfigurations} does).
		 */
		static ConnectionPool springBoot(ConnectionFactory driver) {
			return new ConnectionPool(ConnectionPoolConfiguration.builder(driver)
				.name("boot")
				.initialSize(10)
				.maxSize(10)
				.maxIdleTime(Duration.ofMinutes(30))
				.acquireRetry(1)
				.validationDepth(ValidationDepth.LOCAL)
				.build());
		}

		/**
		 * The starter's pool for {@link #STARTER_KEYS}: its own
		 * {@link ManagedConnectionPool} (the acquire timeout over retries, the discarding
		 * pre-ping, the keeper of {@code size}), configured as its
		 * {@code ConnectionPoolMapping} configures it for those keys. Built here rather
		 * than by Spring Boot's R2DBC auto-configuration, which would have to be on the
		 * class path of every other benchmark application.
		 * @param driver the driver's connection factory
		 * @param prePing whether {@code pool.pre-ping} is on
		 */
		static ConnectionPool starter(ConnectionFactory driver, boolean prePing) {
			int size = 5;
			int overflow = 5;
			Duration overflowIdleTimeout = Duration.ofSeconds(30);
			Duration recycle = Duration.ofMinutes(30);
			Duration acquireTimeout = Duration.ofSeconds(30);
			// Half the idle timeout, at most 30 s, as the starter sweeps.
			Duration sweep = overflowIdleTimeout.dividedBy(2);
			ConnectionPoolConfiguration.Builder builder = ConnectionPoolConfiguration.builder(driver)
				.name(prePing ? "starter" : "starter-no-pre-ping")
				.maxCreateConnectionTime(acquireTimeout)
				.initialSize(size)
				.minIdle(size)
				.maxSize(size + overflow)
				.maxIdleTime(overflowIdleTimeout)
				.backgroundEvictionInterval(sweep)
				.maxLifeTime(recycle);
			if (prePing) {
				builder.validationDepth(ValidationDepth.REMOTE).maxValidationTime(MAX_VALIDATION_TIME);
			}
			else {
				builder.validationDepth(ValidationDepth.LOCAL);
			}
			return ManagedConnectionPool.create(builder,
					new ManagedConnectionPool.Limits(prePing ? "starter" : "starter-no-pre-ping", size,
							overflowIdleTimeout, recycle, acquireTimeout, 1, null, sweep));
		}

		static Counted counted(ConnectionFactory driver) {
			return new Counted(driver, new LongAdder());
		}

		/**
		 * A driver's connection factory that counts the connections it opens.
		 */
		record Counted(ConnectionFactory delegate, LongAdder count) implements ConnectionFactory {

			@Override
			public Publisher<? extends Connection> create() {
				return Mono.from(this.delegate.create()).doOnNext((connection) -> this.count.increment());
			}

			@Override
			public ConnectionFactoryMetadata getMetadata() {
				return this.delegate.getMetadata();
			}

			long opened() {
				return this.count.sum();
			}

		}

	}

}
