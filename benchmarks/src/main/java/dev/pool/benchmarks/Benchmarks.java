package dev.pool.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.benchmarks.hotpath.HotPath;
import dev.pool.benchmarks.http.HttpLoad;
import dev.pool.benchmarks.postgres.PostgresLoad;
import dev.pool.benchmarks.r2dbc.R2dbcLoad;
import dev.pool.benchmarks.report.Ratio;
import dev.pool.benchmarks.report.Results;
import dev.pool.benchmarks.report.Section;
import dev.pool.benchmarks.sqlite.SqliteLoad;
import dev.pool.benchmarks.startup.StartupCost;
import dev.pool.benchmarks.virtualthreads.VirtualThreadsLoad;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import org.openjdk.jmh.runner.Runner;
import org.postgresql.util.DriverInfo;
import org.sqlite.JDBC;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.SpringBootVersion;

/**
 * Runs every benchmark and writes {@code RESULTS.md} and {@code chart.svg}: <pre>
 * java -jar benchmarks/target/benchmarks.jar [--smoke] [--only=hotpath,postgres,sqlite,http,startup,startup-no-key,virtual-threads,r2dbc]
 *     [--out=benchmarks/results] [--sample-app=sample-app/target/sample-app-0.1.0-SNAPSHOT.jar]
 * </pre> {@code benchmarks/run.sh} builds the jars and runs it from the repository's
 * root.
 */
public final class Benchmarks {

	/** The command the README documents. */
	public static final String COMMAND = "benchmarks/run.sh";

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		Arguments arguments = Arguments.parse(args);
		Results results = run(arguments);
		results.write(arguments.out());
		System.out.println();
		System.out.println("Summary (" + arguments.out().resolve(Results.MARKDOWN) + "):");
		for (Section section : results.sections()) {
			for (Ratio ratio : section.ratios()) {
				System.out.printf(Locale.ROOT, "  %-70s %16s  goal %-6s %s%n", ratio.label(), ratio.formatted(),
						ratio.formattedGoal(), ratio.verdict());
			}
			if (section.skipped() != null) {
				System.out.println("  " + section.title() + ": not run: " + section.skipped());
			}
		}
		boolean failed = results.sections().stream().anyMatch(Section::isFailed);
		System.exit(failed ? 1 : 0);
	}

	/**
	 * Run the benchmarks.
	 * @param arguments what to run and how long
	 * @return the results, not yet written
	 */
	public static Results run(Arguments arguments) {
		Budget budget = arguments.smoke() ? Budget.SMOKE : Budget.FULL;
		String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
		Results results = new Results(date, arguments.command(),
				List.of("Spring Boot " + SpringBootVersion.getVersion(),
						version("HikariCP", HikariDataSource.class, "com.zaxxer", "HikariCP"),
						"PostgreSQL JDBC " + DriverInfo.DRIVER_VERSION,
						version("sqlite-jdbc", JDBC.class, "org.xerial", "sqlite-jdbc"),
						version("Reactor Netty", HttpClient.class, "io.projectreactor.netty", "reactor-netty-http"),
						version("r2dbc-postgresql", PostgresqlConnectionFactory.class, "org.postgresql",
								"r2dbc-postgresql"),
						version("r2dbc-pool", ConnectionPool.class, "io.r2dbc", "r2dbc-pool"),
						version("JMH", Runner.class, "org.openjdk.jmh", "jmh-core"),
						"Java " + System.getProperty("java.version")));
		for (Part part : Part.values()) {
			if (arguments.parts().contains(part)) {
				results.add(part.run(budget, arguments));
			}
		}
		results.finish();
		return results;
	}

	/**
	 * A library's version, from its Maven metadata or its manifest.
	 */
	private static String version(String name, Class<?> type, String groupId, String artifactId) {
		String version = null;
		try (InputStream in = type
			.getResourceAsStream("/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties")) {
			if (in != null) {
				Properties properties = new Properties();
				properties.load(in);
				version = properties.getProperty("version");
			}
		}
		catch (IOException ex) {
			// Fall back to the manifest.
		}
		if (version == null) {
			version = type.getPackage().getImplementationVersion();
		}
		return name + " " + ((version != null) ? version : "(unknown version)");
	}

	/**
	 * The benchmarks, in the order they run.
	 */
	public enum Part {

		/** 1: the pool's cost on the hot path. */
		HOTPATH(HotPath.TITLE, (arguments) -> null, (budget, arguments) -> HotPath.run(budget)),

		/**
		 * 2: PostgreSQL with password authentication, no pool vs pool vs held
		 * connections.
		 */
		POSTGRES(PostgresLoad.TITLE, (arguments) -> PostgresLoad.unavailable(),
				(budget, arguments) -> PostgresLoad.run(budget)),

		/** 3: SQLite, 8 writers + 8 readers, plain Spring Boot vs the starter. */
		SQLITE(SqliteLoad.TITLE, (arguments) -> null, (budget, arguments) -> SqliteLoad.run(budget)),

		/** 4: HTTP through WebClient: no pool vs Spring Boot's pool vs the starter's. */
		HTTP(HttpLoad.TITLE, (arguments) -> null, (budget, arguments) -> HttpLoad.run(budget)),

		/** 5: the sample application's start-up with and without the starter. */
		STARTUP(StartupCost.TITLE, (arguments) -> StartupCost.unavailable(arguments.sampleApp()),
				(budget, arguments) -> StartupCost.run(budget, arguments.sampleApp())),

		/**
		 * 5b: an application with no {@code pool.*} key, with the starter and as plain
		 * Spring Boot.
		 */
		STARTUP_NO_KEY(StartupCost.NO_KEY_TITLE, (arguments) -> null, (budget, arguments) -> StartupCost.noKey(budget)),

		/**
		 * 6: virtual threads, 1,000 clients on a 10-connection pool, with and without the
		 * caps.
		 */
		VIRTUAL_THREADS(VirtualThreadsLoad.TITLE, (arguments) -> VirtualThreadsLoad.unavailable(),
				(budget, arguments) -> VirtualThreadsLoad.run(budget)),

		/**
		 * 7: R2DBC on the local PostgreSQL: no pool, Spring Boot's r2dbc-pool, the
		 * starter's, pre-ping on and off.
		 */
		R2DBC(R2dbcLoad.TITLE, (arguments) -> R2dbcLoad.unavailable(), (budget, arguments) -> R2dbcLoad.run(budget));

		private final String title;

		private final Function<Arguments, String> unavailable;

		private final Measure measure;

		Part(String title, Function<Arguments, String> unavailable, Measure measure) {
			this.title = title;
			this.unavailable = unavailable;
			this.measure = measure;
		}

		Section run(Budget budget, Arguments arguments) {
			String unavailable = this.unavailable.apply(arguments);
			if (unavailable != null) {
				System.out.println("== " + this.title + ": not run: " + unavailable);
				return Section.skipped(this.title, unavailable);
			}
			System.out.println("== " + this.title);
			long start = System.nanoTime();
			try {
				return this.measure.run(budget, arguments);
			}
			catch (Exception | AssertionError ex) {
				ex.printStackTrace();
				return Section.failed(this.title, ex);
			}
			finally {
				System.out.printf(Locale.ROOT, "== %s: %.1f s%n", this.title, (System.nanoTime() - start) / 1e9);
			}
		}

	}

	/**
	 * Runs one benchmark.
	 */
	@FunctionalInterface
	interface Measure {

		Section run(Budget budget, Arguments arguments) throws Exception;

	}

	/**
	 * The command line.
	 *
	 * @param smoke whether to run one short iteration of everything
	 * @param parts which benchmarks to run
	 * @param out the folder for the results
	 * @param sampleApp the sample application's jar, for the start-up benchmark
	 * @param command the command as given, for the results
	 */
	public record Arguments(boolean smoke, Set<Part> parts, Path out, Path sampleApp, String command) {

		public static Arguments parse(String... args) {
			boolean smoke = false;
			Set<Part> parts = EnumSet.allOf(Part.class);
			Path out = Path.of("benchmarks", "results");
			Path sampleApp = Path.of("sample-app", "target", "sample-app-0.1.0-SNAPSHOT.jar");
			for (String arg : args) {
				if (arg.equals("--smoke")) {
					smoke = true;
				}
				else if (arg.startsWith("--only=")) {
					parts = EnumSet.noneOf(Part.class);
					for (String name : arg.substring("--only=".length()).split(",")) {
						parts.add(Part.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
					}
				}
				else if (arg.startsWith("--out=")) {
					out = Path.of(arg.substring("--out=".length()));
				}
				else if (arg.startsWith("--sample-app=")) {
					sampleApp = Path.of(arg.substring("--sample-app=".length()));
				}
				else {
					throw new IllegalArgumentException("unknown argument " + arg + "; known: --smoke, --only="
							+ Arrays.toString(Part.values()).toLowerCase(Locale.ROOT)
							+ ", --out=DIR, --sample-app=JAR");
				}
			}
			List<String> command = new ArrayList<>(List.of(COMMAND));
			command.addAll(List.of(args));
			return new Arguments(smoke, parts, out, sampleApp, String.join(" ", command));
		}

	}

}
