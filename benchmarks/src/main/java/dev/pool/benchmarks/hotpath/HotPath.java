package dev.pool.benchmarks.hotpath;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.pool.benchmarks.Budget;
import dev.pool.benchmarks.report.Ratio;
import dev.pool.benchmarks.report.Section;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Benchmark 1: runs {@link HotPathBenchmark} with JMH and turns its scores into ratios.
 */
public final class HotPath {

	/** The section's title. */
	public static final String TITLE = "1. Pool overhead on the hot path (JMH, stub driver)";

	private static final double GOAL = 0.98;

	private HotPath() {
	}

	/**
	 * Run the JMH benchmarks: every benchmark in a fork of its own (warm-up and
	 * measurement from the benchmark's annotations), then all of them again,
	 * {@link Budget#jmhRounds()} times; a benchmark's score pools the iterations of all
	 * its forks. The smoke run runs each once in this JVM for one 100 ms iteration.
	 * @param budget the full run or the smoke run
	 * @return the section
	 */
	public static Section run(Budget budget) throws Exception {
		Map<String, ListStatistics> iterations = new TreeMap<>();
		Map<String, List<Double>> rounds = new TreeMap<>();
		for (int round = 0; round < budget.jmhRounds(); round++) {
			ChainedOptionsBuilder options = new OptionsBuilder()
				.include(Pattern.quote(HotPathBenchmark.class.getName()) + "\\.")
				.shouldFailOnError(true);
			if (budget.quick()) {
				options.forks(0)
					.warmupIterations(0)
					.measurementIterations(1)
					.measurementTime(TimeValue.milliseconds(100));
			}
			else {
				options.forks(1);
			}
			for (RunResult result : new Runner(options.build()).run()) {
				String benchmark = result.getParams().getBenchmark();
				String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
				ListStatistics statistics = iterations.computeIfAbsent(method, (name) -> new ListStatistics());
				ListStatistics thisRound = new ListStatistics();
				for (BenchmarkResult fork : result.getBenchmarkResults()) {
					for (IterationResult iteration : fork.getIterationResults()) {
						statistics.addValue(iteration.getPrimaryResult().getScore());
						thisRound.addValue(iteration.getPrimaryResult().getScore());
					}
				}
				// Operations per nanosecond in this round: a rate, so that ratios of
				// rounds read
				// like those of the load runs.
				rounds.computeIfAbsent(method, (name) -> new ArrayList<>()).add(1 / thisRound.getMean());
			}
		}
		return section(new Scores(iterations, rounds), budget);
	}

	private static Section section(Scores scores, Budget budget) {
		Section section = new Section(TITLE);
		section.paragraph("What one borrow + return costs (`getConnection()` then `close()`, one thread), on a stub "
				+ "JDBC driver whose connections do nothing, so only pool code is timed. The starter's DataSource is the "
				+ "bean of a real Spring Boot application (`@EnableAutoConfiguration` with the starter, its actuator and "
				+ "the drivers on the classpath, `spring.datasource.url=jdbc:stub:...`): exactly what users get. "
				+ "\"Raw HikariCP\" is a `HikariDataSource` built by hand with the starter's settings, copied from that "
				+ "bean. Every benchmark runs in JVMs of its own (HikariCP's alive-bypass window is a JVM-wide system "
				+ "property; the raw pools that check every borrow get `-Dcom.zaxxer.hikari.aliveBypassWindowMs=-1`).");
		section.paragraph("The routing cases measure the `ReadWriteDataSource` the starter makes for SQLite files and "
				+ "`pool.read.url` (here `pool.read.url=jdbc:stub:replica`, from a real application too) against the "
				+ "two HikariCP pools it routes to, used directly: the difference is the routing alone. They add a "
				+ "statement (`createStatement()` + `close()`), because a routed connection only takes a pooled "
				+ "connection once a statement is made (it must know whether the transaction is read-only). The "
				+ "read-only case sets `setReadOnly(true)` first, as a read-only transaction does: the connection then "
				+ "comes from the read pool.");
		section.paragraph("Pre-ping: plain Spring Boot and the raw pools check every borrow the way HikariCP can "
				+ "(`-Dcom.zaxxer.hikari.aliveBypassWindowMs=-1`, `isValid` on every borrow); the starter checks every "
				+ "borrow itself, per pool, with no system property: on this stub driver with `isValid` too (on "
				+ "PostgreSQL it reads what the server sent instead, see benchmark 2).");
		section.header("case", "what", "ns per operation", "throughput vs the first row of its group");
		Score same = scores.get("rawHikariMicrometer");
		row(section, same, "raw HikariCP, same settings",
				"borrow + return, pre-ping on, HikariCP's Micrometer meters (as Boot's actuator sets them)", same);
		row(section, scores.get("starter"), "**starter** (defaults)",
				"borrow + return through the application's DataSource bean, pre-ping on", same);
		row(section, scores.get("rawHikari"), "raw HikariCP, no meters", "borrow + return, pre-ping on", same);
		row(section, scores.get("plainBoot"), "plain Spring Boot (`pool.enabled=false`)",
				"borrow + return, pre-ping on (`-D...=-1`)", same);
		row(section, scores.get("rawHikariNoPrePing"), "raw HikariCP, no meters, pre-ping off",
				"borrow + return, HikariCP's 500 ms alive-bypass window", same);
		row(section, scores.get("starterNoPrePing"), "starter, `pool.pre-ping=false`", "borrow + return", same);
		Score writePool = scores.get("writePoolDirect");
		Score readPool = scores.get("readPoolDirect");
		row(section, writePool, "its primary pool, used directly", "borrow + statement + return", writePool);
		row(section, scores.get("routingReadWrite"), "**starter `ReadWriteDataSource`**, read-write",
				"borrow + statement + return, routed to the primary pool", writePool);
		row(section, readPool, "its read pool, used directly", "borrow + `setReadOnly(true)` + statement + return",
				readPool);
		row(section, scores.get("routingReadOnly"), "**starter `ReadWriteDataSource`**, read-only",
				"borrow + `setReadOnly(true)` + statement + return, routed to the read pool", readPool);
		section.ratio(scores.ratio("hot path: starter ÷ raw HikariCP, same settings", "starter", "rawHikariMicrometer",
				GOAL));
		section.ratio(scores.ratio("hot path: starter ÷ plain Spring Boot", "starter", "plainBoot", null));
		section.ratio(scores.ratio("hot path: starter ÷ raw HikariCP without meters", "starter", "rawHikari", null));
		section.ratio(scores.ratio("hot path: ReadWriteDataSource read-write ÷ its pool used directly",
				"routingReadWrite", "writePoolDirect", GOAL));
		section.ratio(scores.ratio("hot path: ReadWriteDataSource read-only ÷ its pool used directly",
				"routingReadOnly", "readPoolDirect", GOAL));
		section.ratio(scores.ratio("hot path: pre-ping on ÷ off, raw HikariCP (stub)", "rawHikari",
				"rawHikariNoPrePing", null));
		section.ratio(scores.ratio("hot path: pre-ping on ÷ off, starter (stub)", "starter", "starterNoPrePing", null));
		section.note("Ratios are of throughput (the baseline's time ÷ the case's time): 1.0 means as fast, 0.98 means "
				+ "2% slower.");
		section.note("HikariCP's Micrometer meters (`hikaricp.*`), which Spring Boot's actuator switches on and the "
				+ "starter brings the actuator, are recorded on every borrow; \"starter ÷ raw HikariCP without meters\" "
				+ "shows what they cost. The read pool of a `ReadWriteDataSource` has no meters yet (they come with "
				+ "the starter's observability work), so its borrows are the cheaper ones here.");
		if (budget.quick()) {
			section
				.note("Smoke run: one 100 ms iteration in the runner's own JVM, no forks. The figures mean nothing.");
		}
		else {
			section.note("JMH 1.37, average time, one thread. Each benchmark runs in " + budget.jmhRounds() + " forks "
					+ "(3 × 1 s warm-up + 5 × 1 s measured each), taken in rounds: every benchmark once, then again, so "
					+ "that other work on the machine hits all of them alike. ± pools the " + (5 * budget.jmhRounds())
					+ " measured iterations of each. A ratio is the median of the " + budget.jmhRounds() + " rounds' "
					+ "ratios, with the lowest and highest round in brackets.");
		}
		return section;
	}

	private static void row(Section section, Score score, String name, String what, Score baseline) {
		section.row(name, what, score.formatted(),
				Ratio.ofTimes("", score.value(), score.error(), baseline.value(), baseline.error(), null).formatted());
	}

	/**
	 * One benchmark's score in ns per operation, with JMH's 99.9% error.
	 */
	record Score(double value, double error) {

		String formatted() {
			return Double.isNaN(this.error) ? String.format(Locale.ROOT, "%.1f", this.value)
					: String.format(Locale.ROOT, "%.1f ± %.1f", this.value, this.error);
		}

	}

	/**
	 * The measured iterations of a run by benchmark method.
	 */
	record Scores(Map<String, ListStatistics> byMethod, Map<String, List<Double>> roundRates) {

		Score get(String method) {
			ListStatistics statistics = this.byMethod.get(method);
			if (statistics == null) {
				throw new IllegalStateException("JMH gave no score for " + method + ": " + this.byMethod.keySet());
			}
			return new Score(statistics.getMean(), statistics.getMeanErrorAt(0.999));
		}

		/**
		 * The median of the rounds' ratios (in a round every benchmark runs once, in a
		 * fork of its own, one after the other), with the lowest and highest round.
		 */
		Ratio ratio(String label, String candidate, String baseline, Double goal) {
			get(candidate);
			get(baseline);
			return Ratio.ofRoundRates(label, this.roundRates.get(candidate), this.roundRates.get(baseline), goal);
		}

	}

}
