package dev.pool.benchmarks.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import dev.pool.benchmarks.BenchmarkApplication;
import dev.pool.benchmarks.Budget;
import dev.pool.benchmarks.Load;
import dev.pool.benchmarks.Median;
import dev.pool.benchmarks.report.Ratio;
import dev.pool.benchmarks.report.Section;
import dev.pool.testsupport.ThrowawayPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark 2: a short query on PostgreSQL over 127.0.0.1 with SCRAM-SHA-256 password
 * authentication, 1 and 16 threads: a new connection per query, the starter's pool
 * (pre-ping on, its default, and off), and one connection held by each thread (the
 * physical limit).
 */
public final class PostgresLoad {

	/** The section's title. */
	public static final String TITLE = "2. PostgreSQL over 127.0.0.1, password authentication (SCRAM-SHA-256)";

	private static final String ROLE = "bench";

	private static final String PASSWORD = "bench-Secret-42";

	private static final String QUERY = "SELECT name FROM item WHERE id = ?";

	private static final int ROWS = 1000;

	private static final int[] THREADS = { 1, 16 };

	/**
	 * Every new connection leaves a socket in TIME_WAIT for a minute: a new connection
	 * per query is capped in count (far above what a run reaches) so it never uses up the
	 * machine's ephemeral ports.
	 */
	private static final long NEW_CONNECTIONS_PER_RUN = 3000;

	private PostgresLoad() {
	}

	/**
	 * Whether this machine can run the benchmark.
	 * @return null when it can, otherwise why not
	 */
	public static String unavailable() {
		return ThrowawayPostgres.available() ? null
				: ThrowawayPostgres.requirement() + ", to start a throw-away server with password authentication";
	}

	/**
	 * Start a throw-away server, run every case, stop the server and delete it.
	 * @param budget how long each case runs
	 * @return the section
	 */
	public static Section run(Budget budget) throws Exception {
		try (ThrowawayPostgres server = ThrowawayPostgres.startWithPassword(ROLE, PASSWORD)) {
			String url = server.url(ROLE);
			String version = prepare(url);
			Map<String, Case> cases = new LinkedHashMap<>();
			for (int threads : THREADS) {
				for (Kind kind : Kind.values()) {
					cases.put(kind + "/" + threads, new Case(kind, threads));
				}
			}
			BenchmarkApplication.aliveBypass(false);
			try (ConfigurableApplicationContext prePing = application(url);
					ConfigurableApplicationContext noPrePing = application(url, "pool.pre-ping=false")) {
				for (int round = 1; round <= budget.rounds(); round++) {
					for (Case c : cases.values()) {
						Load.Workers workers = switch (c.kind) {
							case NO_POOL -> newConnectionPerQuery(url);
							case POOL -> pooled(prePing);
							case POOL_NO_PRE_PING -> pooled(noPrePing);
							case HELD -> heldConnection(url);
						};
						measure(budget, round, c, workers,
								(c.kind == Kind.POOL) ? prePing : (c.kind == Kind.POOL_NO_PRE_PING) ? noPrePing : null);
					}
				}
			}
			return section(new ArrayList<>(cases.values()), version, budget);
		}
	}

	private static ConfigurableApplicationContext application(String url, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.datasource.url=" + url, "spring.datasource.username=" + ROLE,
				"spring.datasource.password=" + PASSWORD));
		all.addAll(List.of(properties));
		return BenchmarkApplication.startPool(all.toArray(String[]::new));
	}

	/**
	 * Make the table the query reads, and check that the server really asks for the
	 * password.
	 * @return the server's version
	 */
	private static String prepare(String url) throws SQLException {
		try {
			DriverManager.getConnection(url, ROLE, "wrong-" + PASSWORD).close();
			throw new IllegalStateException("the throw-away server accepted a wrong password: no authentication");
		}
		catch (SQLException expected) {
			if (!"28P01".equals(expected.getSQLState())) {
				throw expected;
			}
		}
		try (Connection connection = DriverManager.getConnection(url, ROLE, PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE item (id integer PRIMARY KEY, name text NOT NULL)");
			statement.execute("INSERT INTO item SELECT i, 'item ' || i FROM generate_series(1, " + ROWS + ") i");
			statement.execute("ANALYZE item");
			try (ResultSet result = statement.executeQuery("SHOW server_version")) {
				result.next();
				return result.getString(1);
			}
		}
	}

	private static void measure(Budget budget, int round, Case c, Load.Workers workers,
			ConfigurableApplicationContext application) throws Exception {
		System.out.printf(Locale.ROOT, "PostgreSQL round %d: %s, %d thread(s)%n", round, c.kind.label, c.threads);
		long limit = (c.kind == Kind.NO_POOL) ? NEW_CONNECTIONS_PER_RUN / c.threads : Long.MAX_VALUE;
		Load.run(c.threads, budget.warmup(), limit, workers);
		Borrows before = Borrows.of(application);
		Load.Outcome outcome = Load.run(c.threads, budget.measured(), limit, workers);
		Borrows after = Borrows.of(application);
		if (outcome.errors() > 0) {
			throw new IllegalStateException(c.kind.label + ", " + c.threads + " threads: " + outcome.errors()
					+ " queries failed, first: " + outcome.errorMessages().get(0));
		}
		c.add(outcome.perSecond(), after.since(before));
	}

	private static void query(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
			statement.setInt(1, ThreadLocalRandom.current().nextInt(1, ROWS + 1));
			try (ResultSet result = statement.executeQuery()) {
				if (!result.next()) {
					throw new IllegalStateException("no row");
				}
			}
		}
	}

	private static Load.Workers newConnectionPerQuery(String url) {
		Properties credentials = new Properties();
		credentials.setProperty("user", ROLE);
		credentials.setProperty("password", PASSWORD);
		return (thread) -> () -> {
			try (Connection connection = DriverManager.getConnection(url, credentials)) {
				query(connection);
			}
		};
	}

	private static Load.Workers pooled(ConfigurableApplicationContext application) {
		DataSource dataSource = application.getBean(DataSource.class);
		return (thread) -> () -> {
			try (Connection connection = dataSource.getConnection()) {
				query(connection);
			}
		};
	}

	private static Load.Workers heldConnection(String url) {
		return (thread) -> {
			Connection connection = DriverManager.getConnection(url, ROLE, PASSWORD);
			return new Load.Worker() {

				@Override
				public void run() throws Exception {
					query(connection);
				}

				@Override
				public void close() throws Exception {
					connection.close();
				}

			};
		};
	}

	private static Section section(List<Case> cases, String version, Budget budget) {
		Section section = new Section(TITLE);
		section.paragraph("A throw-away PostgreSQL " + version + " (started by the benchmark: `initdb` + `pg_ctl` as "
				+ "user `postgres`, a free port of 127.0.0.1, `password_encryption = scram-sha-256`, pg_hba.conf "
				+ "`host all all 127.0.0.1/32 scram-sha-256`; a wrong password is checked to fail). Every case runs "
				+ "`" + QUERY + "` (a primary-key lookup in a table of " + ROWS + " rows, through a "
				+ "`PreparedStatement`) as often as it can for " + seconds(budget.measured()) + " after "
				+ seconds(budget.warmup()) + " of warm-up, in " + budget.rounds() + " round(s): every case once, "
				+ "then again; a case's figure is its median round. \"New connection\" opens one with `DriverManager` "
				+ "for every query (password authentication included); \"starter pool\" borrows from the DataSource "
				+ "of a Spring Boot application with the starter (defaults: `balanced`, 20 + 40 connections); \"held "
				+ "connection\" gives each thread one connection for the whole run: the physical limit.");
		section.header("threads", "case", "queries/s (median)", "rounds (slowest – fastest)", "vs new connection",
				"vs held connection", "connection reuse");
		for (int threads : THREADS) {
			Case noPool = find(cases, threads, Kind.NO_POOL);
			Case held = find(cases, threads, Kind.HELD);
			for (Case c : cases) {
				if (c.threads == threads) {
					section.row(String.valueOf(threads), c.kind.label, String.format(Locale.ROOT, "%,.0f", c.rate()),
							String.format(Locale.ROOT, "%,.0f – %,.0f", Collections.min(c.rates),
									Collections.max(c.rates)),
							Ratio.ofRates("", c.rate(), noPool.rate(), null).formatted() + "×",
							Ratio.ofRates("", c.rate(), held.rate(), null).formatted(),
							String.format(Locale.ROOT, "%.2f%%", c.reuse() * 100));
				}
			}
		}
		for (int threads : THREADS) {
			Case noPool = find(cases, threads, Kind.NO_POOL);
			Case pool = find(cases, threads, Kind.POOL);
			Case poolNoPrePing = find(cases, threads, Kind.POOL_NO_PRE_PING);
			Case held = find(cases, threads, Kind.HELD);
			String suffix = " (" + threads + ((threads == 1) ? " thread)" : " threads)");
			section.ratio(Ratio.ofRoundRates("PostgreSQL: starter pool ÷ new connection per query" + suffix, pool.rates,
					noPool.rates, 10.0));
			section.ratio(Ratio.ofRoundRates("PostgreSQL: starter pool ÷ held connection" + suffix, pool.rates,
					held.rates, 0.9));
			section.ratio(Ratio.ofRoundRates("PostgreSQL: starter pool, pre-ping off ÷ held connection" + suffix,
					poolNoPrePing.rates, held.rates, 0.9));
			section.ratio(Ratio.ofRoundRates("PostgreSQL: starter pool, pre-ping on ÷ off" + suffix, pool.rates,
					poolNoPrePing.rates, null));
		}
		section.note("Connection reuse is the share of borrows served by an open connection (1 − connections "
				+ "opened ÷ borrows during the measured runs), from HikariCP's `hikaricp.connections.creation` and "
				+ "`hikaricp.connections.acquire` meters; a new connection per query reuses none, a held connection all.");
		section.note("Pre-ping (on by default) checks every borrowed connection. On PostgreSQL over a plain socket "
				+ "the starter reads what the server has already sent (a backend that is terminated sends an error "
				+ "before it closes) instead of a round trip; HikariCP checks connections unused for 500 ms with "
				+ "`Connection.isValid()`, a round trip. Ratios are the median of the rounds' ratios (each round runs "
				+ "the cases back to back), with the lowest and highest round.");
		if (budget.quick()) {
			section.note("Smoke run: a fraction of a second per case. The figures mean nothing.");
		}
		return section;
	}

	private static String seconds(java.time.Duration duration) {
		return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
	}

	private static Case find(List<Case> cases, int threads, Kind kind) {
		return cases.stream().filter((c) -> c.threads == threads && c.kind == kind).findFirst().orElseThrow();
	}

	enum Kind {

		NO_POOL("new connection per query (`DriverManager`)"),

		POOL("**starter pool** (defaults, pre-ping on)"),

		POOL_NO_PRE_PING("starter pool, `pool.pre-ping=false`"),

		HELD("one held connection per thread");

		private final String label;

		Kind(String label) {
			this.label = label;
		}

	}

	/**
	 * One case and what its rounds measured.
	 */
	static final class Case {

		final Kind kind;

		final int threads;

		final List<Double> rates = new ArrayList<>();

		private Borrows borrows = new Borrows(0, 0);

		Case(Kind kind, int threads) {
			this.kind = kind;
			this.threads = threads;
		}

		void add(double rate, Borrows borrows) {
			this.rates.add(rate);
			this.borrows = new Borrows(this.borrows.acquired() + borrows.acquired(),
					this.borrows.created() + borrows.created());
		}

		/** The median round's queries per second. */
		double rate() {
			return Median.of(this.rates);
		}

		double reuse() {
			return switch (this.kind) {
				case NO_POOL -> 0;
				case HELD -> 1;
				default -> this.borrows.reuse();
			};
		}

	}

	/**
	 * HikariCP's counts of borrows and of connections opened, from its Micrometer meters.
	 */
	record Borrows(long acquired, long created) {

		static Borrows of(ConfigurableApplicationContext application) {
			if (application == null) {
				return new Borrows(0, 0);
			}
			MeterRegistry registry = application.getBean(MeterRegistry.class);
			return new Borrows(count(registry, "hikaricp.connections.acquire"),
					count(registry, "hikaricp.connections.creation"));
		}

		private static long count(MeterRegistry registry, String name) {
			return registry.find(name).timers().stream().mapToLong(Timer::count).sum();
		}

		Borrows since(Borrows before) {
			return new Borrows(this.acquired - before.acquired, this.created - before.created);
		}

		double reuse() {
			return (this.acquired > 0) ? 1 - (double) this.created / this.acquired : Double.NaN;
		}

	}

}
