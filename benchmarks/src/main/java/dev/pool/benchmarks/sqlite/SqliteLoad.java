package dev.pool.benchmarks.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.pool.benchmarks.BenchmarkApplication;
import dev.pool.benchmarks.Budget;
import dev.pool.benchmarks.Load;
import dev.pool.benchmarks.Median;
import dev.pool.benchmarks.report.Ratio;
import dev.pool.benchmarks.report.Section;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Benchmark 3: 8 writers and 8 readers on one SQLite file, through plain Spring Boot
 * (HikariCP, the starter disabled) and through the starter (one writer connection in WAL
 * mode, a read-only reader pool): throughput and failed transactions.
 */
public final class SqliteLoad {

	/** The section's title. */
	public static final String TITLE = "3. SQLite: 8 writers + 8 readers on one file";

	private static final int WRITERS = 8;

	private static final int READERS = 8;

	private static final Duration LIMIT = Duration.ofMinutes(2);

	private SqliteLoad() {
	}

	/**
	 * Run the load through both and compare.
	 * @param budget how many transactions each thread runs
	 * @return the section
	 */
	public static Section run(Budget budget) throws Exception {
		Path directory = Files.createTempDirectory("pool-bench-sqlite-");
		try {
			Side plain = new Side();
			Side starter = new Side();
			for (int round = 1; round <= budget.rounds(); round++) {
				plain.add(measure(directory.resolve("plain-" + round + ".db"), budget, "pool.enabled=false"));
				starter.add(measure(directory.resolve("starter-" + round + ".db"), budget));
			}
			return section(plain, starter, budget);
		}
		finally {
			try (Stream<Path> paths = Files.walk(directory)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

	private static Load.Outcome measure(Path file, Budget budget, String... properties) throws Exception {
		String[] all = new String[properties.length + 1];
		all[0] = "spring.datasource.url=jdbc:sqlite:" + file;
		System.arraycopy(properties, 0, all, 1, properties.length);
		BenchmarkApplication.aliveBypass(false);
		try (ConfigurableApplicationContext application = BenchmarkApplication.startPool(all)) {
			JdbcTemplate jdbc = application.getBean(JdbcTemplate.class);
			jdbc.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL, value INTEGER NOT NULL)");
			jdbc.execute("CREATE INDEX item_writer ON item (writer)");
			Load.Workers workers = workers(application, jdbc);
			System.out.println("SQLite: " + ((properties.length == 0) ? "starter" : "plain Spring Boot"));
			Load.run(WRITERS + READERS, LIMIT, Math.max(1, budget.sqliteTransactions() / 5), workers);
			int rowsBefore = count(jdbc);
			Load.Outcome outcome = Load.run(WRITERS + READERS, LIMIT, budget.sqliteTransactions(), workers);
			int rowsAdded = count(jdbc) - rowsBefore;
			if (rowsAdded != outcome.operations(0, WRITERS)) {
				throw new IllegalStateException(rowsAdded + " rows were added by " + outcome.operations(0, WRITERS)
						+ " successful write transactions");
			}
			return outcome;
		}
	}

	/**
	 * Writers run read-then-write transactions (the pattern that deadlocks two deferred
	 * SQLite transactions); readers run read-only transactions.
	 */
	private static Load.Workers workers(ConfigurableApplicationContext application, JdbcTemplate jdbc) {
		PlatformTransactionManager transactions = application.getBean(PlatformTransactionManager.class);
		TransactionTemplate readWrite = new TransactionTemplate(transactions);
		TransactionTemplate readOnly = new TransactionTemplate(transactions);
		readOnly.setReadOnly(true);
		return (thread) -> {
			if (thread < WRITERS) {
				int[] next = { 0 };
				return () -> readWrite.executeWithoutResult((status) -> {
					jdbc.queryForObject("SELECT count(*) FROM item WHERE writer = ?", Integer.class, thread);
					jdbc.update("INSERT INTO item (writer, value) VALUES (?, ?)", thread, next[0]++);
				});
			}
			return () -> readOnly.executeWithoutResult(
					(status) -> jdbc.queryForMap("SELECT count(*), coalesce(sum(value), 0) FROM item"));
		};
	}

	private static int count(JdbcTemplate jdbc) {
		Integer rows = jdbc.queryForObject("SELECT count(*) FROM item", Integer.class);
		return (rows != null) ? rows : 0;
	}

	private static Section section(Side plain, Side starter, Budget budget) {
		Section section = new Section(TITLE);
		section.paragraph(WRITERS
				+ " writer threads run read-write transactions (`SELECT count(*) ... WHERE writer = ?` "
				+ "then `INSERT`, through `TransactionTemplate` and `JdbcTemplate`) and " + READERS + " reader threads "
				+ "run `readOnly` transactions (`SELECT count(*), sum(value)`), " + budget.sqliteTransactions()
				+ " transactions each after a warm-up of a fifth of that, on a new SQLite file, in " + budget.rounds()
				+ " round(s), the two sides taking turns; transactions/s is the median round. Plain Spring Boot is "
				+ "the same application with `pool.enabled=false`: HikariCP with 10 connections and SQLite's defaults. "
				+ "Failed transactions count against a thread's total, so both sides make the same number of attempts, "
				+ (WRITERS + READERS) * budget.sqliteTransactions() * budget.rounds() + " in all.");
		section.header("case", "transactions/s (successful, median)", "rounds (slowest – fastest)", "writes/s",
				"reads/s", "failed transactions (all rounds)", "of which SQLITE_BUSY / database is locked");
		row(section, "plain Spring Boot (`pool.enabled=false`)", plain);
		row(section, "**starter** (1 writer connection, WAL, read-only reader pool)", starter);
		section.ratio(Ratio.ofRates("SQLite 8 + 8 threads: starter ÷ plain Spring Boot (transactions/s)",
				starter.rate(), plain.rate(), null));
		section.note("Failed transactions: plain Spring Boot " + plain.errors() + ", the starter " + starter.errors()
				+ "." + (plain.messages.isEmpty() ? ""
						: " A plain Spring Boot failure reads: `" + shorten(plain.messages.get(0)) + "`."));
		section.note("Every round checks that the rows in the table match the successful write transactions: a "
				+ "failed transaction is reported, never lost silently.");
		if (budget.quick()) {
			section.note("Smoke run: " + budget.sqliteTransactions() + " transactions per thread. The figures mean "
					+ "nothing.");
		}
		return section;
	}

	private static void row(Section section, String name, Side side) {
		section.row(name, String.format(Locale.ROOT, "%,.0f", side.rate()),
				String.format(Locale.ROOT, "%,.0f – %,.0f", Collections.min(side.rates), Collections.max(side.rates)),
				String.format(Locale.ROOT, "%,.0f", Median.of(side.writes)),
				String.format(Locale.ROOT, "%,.0f", Median.of(side.reads)), String.valueOf(side.errors()),
				String.valueOf(side.busy()));
	}

	private static String shorten(String message) {
		String line = message.replaceAll("\\s+", " ");
		return (line.length() > 160) ? line.substring(0, 157) + "..." : line;
	}

	/**
	 * What one side's rounds measured.
	 */
	static final class Side {

		final List<Double> rates = new ArrayList<>();

		final List<Double> writes = new ArrayList<>();

		final List<Double> reads = new ArrayList<>();

		final List<String> messages = new ArrayList<>();

		private long errors;

		void add(Load.Outcome outcome) {
			double seconds = outcome.elapsed().toNanos() / 1e9;
			this.rates.add(outcome.perSecond());
			this.writes.add(outcome.operations(0, WRITERS) / seconds);
			this.reads.add(outcome.operations(WRITERS, WRITERS + READERS) / seconds);
			this.errors += outcome.errors();
			this.messages.addAll(outcome.errorMessages());
		}

		double rate() {
			return Median.of(this.rates);
		}

		long errors() {
			return this.errors;
		}

		long busy() {
			return this.messages.stream()
				.filter((message) -> message.contains("SQLITE_BUSY") || message.contains("database is locked"))
				.count();
		}

	}

}
