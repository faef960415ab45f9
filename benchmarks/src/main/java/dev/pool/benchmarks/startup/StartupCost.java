package dev.pool.benchmarks.startup;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.pool.benchmarks.Budget;
import dev.pool.benchmarks.Median;
import dev.pool.benchmarks.report.Ratio;
import dev.pool.benchmarks.report.Section;
import dev.pool.benchmarks.stub.StubDriver;

/**
 * Benchmark 5: the sample application's start-up, whole process, with the starter (its
 * defaults), without it ({@code --pool.enabled=false}) and with the starter but not its
 * HTTP pool, started one after the other several times; the medians are compared.
 */
public final class StartupCost {

	/** The section's title. */
	public static final String TITLE = "5. Start-up cost (sample app, whole process)";

	/** The title of the section with no {@code pool.*} key. */
	public static final String NO_KEY_TITLE = "5b. Start-up cost with no pool.* key (whole process)";

	/** Where {@code benchmarks/run.sh} builds the sample application. */
	public static final String BUILD = "./mvnw -q -pl sample-app -am package -DskipTests";

	private static final Pattern STARTED = Pattern.compile("Started \\S+ in ");

	private static final Pattern PORT = Pattern.compile("Tomcat started on port[^0-9]*(\\d+)");

	/** A line of {@code -Xlog:class+load}: the name of the class loaded. */
	private static final Pattern CLASS_LOAD = Pattern.compile("\\[class,load\\s*\\] (\\S+)");

	private static final String PLAIN = "--pool.enabled=false";

	/** The line {@link StartupApplication} prints once ready, with its bean count. */
	private static final Pattern READY = Pattern.compile(
			Pattern.quote(StartupApplication.READY) + "(\\d+)" + Pattern.quote(StartupApplication.CPU) + "(-?\\d+)");

	/**
	 * The goal of issue 17 for the classes the starter adds to the sample application's
	 * start-up.
	 */
	private static final int CLASSES_GOAL = 200;

	/**
	 * How long a start may take before the run gives up: a bound against a hung process,
	 * not a speed limit (on a machine with every core busy, starting the sample
	 * application has taken over two minutes).
	 */
	private static final Duration LIMIT = Duration.ofMinutes(10);

	/**
	 * The third case: the starter without its HTTP pool, so without the named client
	 * {@code self} that the sample application configures. Plain Spring Boot builds no
	 * {@code WebClient} at start-up in this application (none is injected); the starter
	 * builds the named clients as beans, and with them Netty and the HTTP codecs.
	 */
	private static final String NO_HTTP = "--pool.http.enabled=false";

	/**
	 * The goal of issue 17: start-up with the starter at most 1.03 times as long as
	 * without.
	 */
	private static final double STARTUP_GOAL = 1 / 1.03;

	private StartupCost() {
	}

	/**
	 * Whether the sample application's jar is there.
	 * @param jar the jar
	 * @return null when it is, otherwise what to do
	 */
	public static String unavailable(Path jar) {
		return Files.isRegularFile(jar) ? null : "no sample application jar at " + jar + "; build it with `" + BUILD
				+ "` (benchmarks/run.sh does) or pass --sample-app=JAR";
	}

	/**
	 * Start the sample application again and again, each way in turn.
	 * @param budget how many starts each way
	 * @param jar the sample application's jar
	 * @return the section
	 */
	public static Section run(Budget budget, Path jar) throws Exception {
		Path directory = Files.createTempDirectory("pool-bench-startup-");
		try {
			List<Long> plain = new ArrayList<>();
			List<Long> starter = new ArrayList<>();
			List<Long> noHttp = new ArrayList<>();
			// The first start of each case is not timed: it counts the classes loaded
			// (logging each
			// one costs time) and warms the file cache.
			Classes plainClasses = start(budget, jar, directory.resolve("plain-classes.db"), true, PLAIN).classes();
			Classes starterClasses = start(budget, jar, directory.resolve("starter-classes.db"), true).classes();
			Classes noHttpClasses = start(budget, jar, directory.resolve("no-http-classes.db"), true, NO_HTTP)
				.classes();
			int warmups = Math.max(0, budget.startupWarmups() - 1);
			for (int run = 0; run < warmups + budget.startups(); run++) {
				long plainTime = start(budget, jar, directory.resolve("plain-" + run + ".db"), false, PLAIN).millis();
				long starterTime = start(budget, jar, directory.resolve("starter-" + run + ".db"), false).millis();
				long noHttpTime = start(budget, jar, directory.resolve("no-http-" + run + ".db"), false, NO_HTTP)
					.millis();
				if (run >= warmups) {
					plain.add(plainTime);
					starter.add(starterTime);
					noHttp.add(noHttpTime);
				}
			}
			return section(new Case(plain, plainClasses), new Case(starter, starterClasses),
					new Case(noHttp, noHttpClasses), budget);
		}
		finally {
			try (Stream<Path> paths = Files.walk(directory)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

	/**
	 * Start the application, wait for "Started ..." and check its health is UP, then stop
	 * it.
	 * @param countClasses whether to log every class the JVM loads and count them (the
	 * start is then not timed)
	 * @return the time from starting the process to "Started ..." and the classes loaded
	 * by then
	 */
	private static Started start(Budget budget, Path jar, Path database, boolean countClasses, String... args)
			throws Exception {
		List<String> launch = new ArrayList<>(List.of("-jar", jar.toString()));
		launch.addAll(List.of(args));
		return start(budget, launch, database, countClasses, STARTED,
				(args.length == 0) ? "starter" : String.join(" ", args));
	}

	private static Started start(Budget budget, List<String> launch, Path database, boolean countClasses, Pattern ready,
			String name) throws Exception {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		if (budget.quick()) {
			// The smoke run only checks that the application starts and is UP: the C1
			// compiler
			// alone starts it sooner.
			command.add("-XX:TieredStopAtLevel=1");
		}
		// The classes go to a file of their own, counted once the application is ready:
		// logged to standard output, a class loaded while the application prints its
		// ready line can land in the middle of that line and hide it.
		Path classLog = countClasses ? Files.createTempFile("pool-bench-classes-", ".log") : null;
		if (classLog != null) {
			command.add("-Xlog:class+load=info:file=" + classLog + "::filecount=0");
		}
		command.addAll(launch);
		command.addAll(List.of("--server.port=0", "--server.address=127.0.0.1"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (database != null) {
			builder.environment().put("SAMPLE_DB", database.toString());
		}
		long begin = System.nanoTime();
		Process process = builder.start();
		try {
			CompletableFuture<Started> started = CompletableFuture
				.supplyAsync(() -> awaitStarted(process, begin, ready));
			Started result = started.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
			if (classLog != null) {
				result = result.withClasses(countClasses(classLog));
			}
			checkHealth(result.port());
			if (countClasses) {
				System.out.printf(Locale.ROOT, "Start-up %s: %s%n", name, result.classes());
			}
			else {
				System.out.printf(Locale.ROOT, "Start-up %s: %d ms%n", name, result.millis());
			}
			return result;
		}
		finally {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			}
			if (classLog != null) {
				Files.deleteIfExists(classLog);
			}
		}
	}

	private static Classes countClasses(Path classLog) throws java.io.IOException {
		Classes classes = new Classes(0, 0, 0);
		for (String line : Files.readAllLines(classLog, StandardCharsets.UTF_8)) {
			Matcher loaded = CLASS_LOAD.matcher(line);
			if (loaded.find()) {
				classes = classes.plus(loaded.group(1));
			}
		}
		return classes;
	}

	private static Started awaitStarted(Process process, long begin, Pattern ready) {
		StringBuilder output = new StringBuilder();
		try {
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			int port = -1;
			Classes classes = new Classes(0, 0, 0);
			String line;
			while ((line = reader.readLine()) != null) {
				Matcher loaded = CLASS_LOAD.matcher(line);
				if (loaded.find()) {
					classes = classes.plus(loaded.group(1));
					continue;
				}
				output.append(line).append('\n');
				Matcher matcher = PORT.matcher(line);
				if (matcher.find()) {
					port = Integer.parseInt(matcher.group(1));
				}
				Matcher readyLine = ready.matcher(line);
				if (readyLine.find()) {
					int beans = (readyLine.groupCount() > 0) ? Integer.parseInt(readyLine.group(1)) : -1;
					long cpuMillis = (readyLine.groupCount() > 1) ? Long.parseLong(readyLine.group(2)) : -1;
					long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
					// Keep reading, so the application never blocks on a full pipe.
					Thread drain = new Thread(() -> drain(reader), "sample-app-output");
					drain.setDaemon(true);
					drain.start();
					if (port < 0) {
						throw new IllegalStateException("no port in the sample application's output:\n" + output);
					}
					return new Started(millis, port, classes, beans, cpuMillis);
				}
			}
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		throw new IllegalStateException("the sample application exited without starting:\n" + output);
	}

	private static void drain(BufferedReader reader) {
		try {
			while (reader.readLine() != null) {
				// Discard.
			}
		}
		catch (java.io.IOException ex) {
			// The process was stopped.
		}
	}

	private static void checkHealth(int port) throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpResponse<String> response = client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
				.timeout(Duration.ofMinutes(2))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200 || !response.body().contains("\"status\":\"UP\"")) {
			throw new IllegalStateException(
					"the sample application is not UP: " + response.statusCode() + " " + response.body());
		}
	}

	private static Section section(Case plain, Case starter, Case noHttp, Budget budget) {
		long plainMedian = plain.median();
		long starterMedian = starter.median();
		long noHttpMedian = noHttp.median();
		Section section = new Section(TITLE);
		section.paragraph("The sample application (Spring MVC, actuator, an embedded SQLite file, a named `WebClient` "
				+ "`self`; `sample-app`) is started as a process, `java -jar` with `--server.port=0`, and timed from "
				+ "launching the process to its \"Started ...\" log line; each start is then checked to answer "
				+ "`/actuator/health` UP and stopped. Without the starter is the same jar with `" + PLAIN + "`; "
				+ "the third case is the starter with `" + NO_HTTP + "`, which shows what the HTTP pool and the named "
				+ "client cost at start-up (plain Spring Boot builds no `WebClient` in this application, as nothing "
				+ "injects one). The three alternate, " + plain.starts().size() + " times each after "
				+ Math.max(1, budget.startupWarmups()) + " unmeasured start(s) each, every start on a new database "
				+ "file. The first unmeasured start of each case runs with `-Xlog:class+load` and counts the classes "
				+ "the JVM loaded "
				+ "before the \"Started ...\" line, and of them Netty's (`io.netty.*`) and HTTP codecs' (a package "
				+ "`codec.http` or `http.codec`).");
		section.header("case", "median", "fastest", "slowest", "starts", "classes loaded", "of which Netty",
				"of which HTTP codecs");
		row(section, "without the starter (`" + PLAIN + "`)", plain);
		row(section, "**with the starter** (defaults: SQLite writer + reader pool, HTTP pool, named client)", starter);
		row(section, "with the starter, `" + NO_HTTP + "`", noHttp);
		section.ratio(Ratio.ofRates("start-up: speed with the starter ÷ without", 1.0 / starterMedian,
				1.0 / plainMedian, STARTUP_GOAL));
		section.note(String.format(Locale.ROOT,
				"The starter adds %+d ms (%+.1f%%) to the median start-up; without "
						+ "its HTTP pool and the named client, %+d ms (%+.1f%%).",
				starterMedian - plainMedian, 100.0 * (starterMedian - plainMedian) / plainMedian,
				noHttpMedian - plainMedian, 100.0 * (noHttpMedian - plainMedian) / plainMedian));
		int added = starter.classes().total() - plain.classes().total();
		section.note(String.format(Locale.ROOT,
				"Classes loaded: the starter adds %+,d (goal: at most %+d, %s), of "
						+ "which Netty %+d and HTTP codecs %+d; without its HTTP pool, %+,d.",
				added, CLASSES_GOAL, (added <= CLASSES_GOAL) ? "met" : "not met",
				starter.classes().netty() - plain.classes().netty(),
				starter.classes().httpCodecs() - plain.classes().httpCodecs(),
				noHttp.classes().total() - plain.classes().total()));
		if (budget.quick()) {
			section.note("Smoke run: one start each, with `-XX:TieredStopAtLevel=1`. The figures mean nothing.");
		}
		return section;
	}

	/**
	 * The start-up of an application with the starter and no {@code pool.*} key against
	 * the same application as plain Spring Boot: {@link StartupApplication} (Spring MVC,
	 * the actuator, a DataSource on the stub driver), from the benchmarks' own classpath.
	 * The two alternate; each start is timed to the line the application prints once
	 * ready, which also gives its bean definitions; the first starts of each (not timed)
	 * count the classes loaded by then, several times, as a garbage collection during
	 * start-up loads some classes (its meters') that another start does not.
	 * @param budget how many starts
	 * @return the section
	 */
	public static Section noKey(Budget budget) throws Exception {
		Section section = new Section(NO_KEY_TITLE);
		List<String> launch = List.of("-cp", System.getProperty("java.class.path"), StartupApplication.class.getName(),
				"--spring.datasource.url=jdbc:stub:startup",
				"--spring.datasource.driver-class-name=" + StubDriver.class.getName());
		List<String> plainLaunch = new ArrayList<>(launch);
		plainLaunch.add(PLAIN);
		List<Integer> plainClasses = new ArrayList<>();
		List<Integer> starterClasses = new ArrayList<>();
		int plainBeans = 0;
		int starterBeans = 0;
		for (int i = 0; i < budget.startupClassCounts(); i++) {
			Started plain = start(budget, plainLaunch, null, true, READY, "no key, " + PLAIN);
			Started starter = start(budget, launch, null, true, READY, "no key, starter");
			plainClasses.add(plain.classes().total());
			starterClasses.add(starter.classes().total());
			plainBeans = plain.beans();
			starterBeans = starter.beans();
		}
		List<Double> plainRates = new ArrayList<>();
		List<Double> starterRates = new ArrayList<>();
		List<Long> plainTimes = new ArrayList<>();
		List<Long> starterTimes = new ArrayList<>();
		List<Long> plainCpu = new ArrayList<>();
		List<Long> starterCpu = new ArrayList<>();
		List<Double> plainCpuRates = new ArrayList<>();
		List<Double> starterCpuRates = new ArrayList<>();
		int warmups = Math.max(0, budget.startupWarmups() - 1);
		for (int run = 0; run < warmups + budget.startups(); run++) {
			// Alternate which goes first, so that neither always follows the other.
			boolean plainFirst = run % 2 == 0;
			Started first = start(budget, plainFirst ? plainLaunch : launch, null, false, READY,
					plainFirst ? "no key, " + PLAIN : "no key, starter");
			Started second = start(budget, plainFirst ? launch : plainLaunch, null, false, READY,
					plainFirst ? "no key, starter" : "no key, " + PLAIN);
			if (run >= warmups) {
				Started plain = plainFirst ? first : second;
				Started starter = plainFirst ? second : first;
				plainTimes.add(plain.millis());
				starterTimes.add(starter.millis());
				plainRates.add(1.0 / plain.millis());
				starterRates.add(1.0 / starter.millis());
				plainCpu.add(plain.cpuMillis());
				starterCpu.add(starter.cpuMillis());
				plainCpuRates.add(1.0 / plain.cpuMillis());
				starterCpuRates.add(1.0 / starter.cpuMillis());
			}
		}
		section.paragraph("The benchmarks' own `StartupApplication` (Spring MVC on Tomcat, the actuator, "
				+ "a DataSource on the stub driver, nothing of the starter's configured: no `pool.*` key) started "
				+ "from the benchmarks' classpath, with the starter and as plain Spring Boot (`" + PLAIN + "`), "
				+ "timed from launching the process to the line it prints once ready (after `ApplicationReadyEvent`)."
				+ " It also prints the CPU time the process has used by then (every thread's, the JIT compilers' "
				+ "included): on a machine shared with other work, waiting for a core lengthens the ready time "
				+ "but not the CPU time." + " The two alternate, the one that goes first changing each pair, "
				+ plainTimes.size() + " pairs after " + warmups
				+ " unmeasured; the ratio is the median of the pairs' ratios with the "
				+ "lowest and highest pair. Classes are counted in " + plainClasses.size()
				+ " other starts of each (with `-Xlog:class+load`, not timed; a garbage collection during a start "
				+ "loads a few dozen classes of its meters, so the counts vary between starts); the median count "
				+ "is shown, with the range.");
		section.header("case (no key)", "median ready", "fastest", "slowest", "median CPU time to ready", "starts",
				"classes loaded (median)", "classes (range)", "bean definitions");
		section.row("plain Spring Boot (`" + PLAIN + "`)", millis(Math.round(Median.of(plainTimes))),
				millis(Collections.min(plainTimes)), millis(Collections.max(plainTimes)),
				millis(Math.round(Median.of(plainCpu))), String.valueOf(plainTimes.size()),
				String.format(Locale.ROOT, "%,d", medianCount(plainClasses)), range(plainClasses),
				String.valueOf(plainBeans));
		section.row("**with the starter**, no key", millis(Math.round(Median.of(starterTimes))),
				millis(Collections.min(starterTimes)), millis(Collections.max(starterTimes)),
				millis(Math.round(Median.of(starterCpu))), String.valueOf(starterTimes.size()),
				String.format(Locale.ROOT, "%,d", medianCount(starterClasses)), range(starterClasses),
				String.valueOf(starterBeans));
		section.ratio(Ratio.ofRoundRates("start-up, no key: speed with the starter ÷ plain Spring Boot (pairs)",
				starterRates, plainRates, STARTUP_GOAL));
		section.ratio(Ratio.ofRoundRates("start-up, no key: CPU time to ready, plain Spring Boot ÷ the starter (pairs)",
				starterCpuRates, plainCpuRates, STARTUP_GOAL));
		int added = medianCount(starterClasses) - medianCount(plainClasses);
		section.note(String.format(Locale.ROOT,
				"No key: the starter adds %+,d classes (median against median; goal: at most %+d, %s) and %+d bean "
						+ "definitions.",
				added, CLASSES_GOAL, (added <= CLASSES_GOAL) ? "met" : "not met", starterBeans - plainBeans));
		if (budget.quick()) {
			section.note("Smoke run: one start each, with `-XX:TieredStopAtLevel=1`. The figures mean nothing.");
		}
		return section;
	}

	private static int medianCount(List<Integer> counts) {
		return (int) Math.round(Median.of(counts));
	}

	private static String range(List<Integer> counts) {
		return String.format(Locale.ROOT, "%,d – %,d", Collections.min(counts), Collections.max(counts));
	}

	private static void row(Section section, String name, Case c) {
		section.row(name, millis(c.median()), millis(Collections.min(c.starts())), millis(Collections.max(c.starts())),
				String.valueOf(c.starts().size()), String.format(Locale.ROOT, "%,d", c.classes().total()),
				String.valueOf(c.classes().netty()), String.valueOf(c.classes().httpCodecs()));
	}

	private static String millis(long millis) {
		return String.format(Locale.ROOT, "%,d ms", millis);
	}

	record Started(long millis, int port, Classes classes, int beans, long cpuMillis) {

		Started withClasses(Classes counted) {
			return new Started(this.millis, this.port, counted, this.beans, this.cpuMillis);
		}

	}

	/**
	 * The classes a start loaded before its "Started ..." line.
	 *
	 * @param total every class
	 * @param netty Netty's
	 * @param httpCodecs HTTP codecs' (Netty's and Spring's)
	 */
	record Classes(int total, int netty, int httpCodecs) {

		Classes plus(String className) {
			return new Classes(this.total + 1, this.netty + (className.startsWith("io.netty.") ? 1 : 0), this.httpCodecs
					+ ((className.contains(".codec.http") || className.contains(".http.codec")) ? 1 : 0));
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%,d classes loaded (Netty %d, HTTP codecs %d)", this.total, this.netty,
					this.httpCodecs);
		}

	}

	/**
	 * One case: its timed starts and the classes its counted start loaded.
	 */
	record Case(List<Long> starts, Classes classes) {

		long median() {
			return Math.round(Median.of(this.starts));
		}

	}

}
