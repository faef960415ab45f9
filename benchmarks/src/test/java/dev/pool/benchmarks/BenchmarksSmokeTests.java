package dev.pool.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

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
import dev.pool.testsupport.TestEnvironment;
import dev.pool.testsupport.ThrowawayPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark for one short iteration, so that the harness cannot rot: each must
 * run, produce its rows and ratios, and the results must be written. No figure is checked
 * (speed is measured by the full run, not asserted by a test); correctness is: the
 * starter loses no SQLite transaction, the throw-away PostgreSQL asks for a password.
 */
class BenchmarksSmokeTests {

	private static final Path SAMPLE_APP = Path.of("..", "sample-app", "target", "sample-app-0.1.0-SNAPSHOT.jar");

	@TempDir
	Path out;

	@Test
	void everyBenchmarkRunsOnceAndTheTableAndChartAreWritten() throws Exception {
		Benchmarks.Arguments arguments = Benchmarks.Arguments.parse("--smoke", "--out=" + this.out,
				"--sample-app=" + SAMPLE_APP);
		Results results = Benchmarks.run(arguments);
		results.write(this.out);

		List<Section> sections = results.sections();
		assertThat(sections).extracting(Section::title)
			.containsExactly(HotPath.TITLE, PostgresLoad.TITLE, SqliteLoad.TITLE, HttpLoad.TITLE, StartupCost.TITLE,
					StartupCost.NO_KEY_TITLE, VirtualThreadsLoad.TITLE, R2dbcLoad.TITLE);
		assertThat(sections).allSatisfy(
				(section) -> assertThat(section.isFailed()).as("%s: %s", section.title(), section.skipped()).isFalse());

		Section hotPath = sections.get(0);
		assertThat(hotPath.rows()).hasSize(10);
		assertThat(hotPath.ratios()).hasSize(7).allSatisfy(BenchmarksSmokeTests::measured);

		Section postgres = sections.get(1);
		if (postgres.skipped() == null || TestEnvironment.required()) {
			assertThat(postgres.skipped()).as("the throw-away PostgreSQL (required when CI=true)").isNull();
			assertThat(postgres.rows()).hasSize(8);
			// Per thread count: ÷ new connection, ÷ held (pre-ping on, off), pre-ping on
			// ÷ off.
			assertThat(postgres.ratios()).hasSize(8).allSatisfy(BenchmarksSmokeTests::measured);
			assertThat(ThrowawayPostgres.leftovers()).as("the throw-away PostgreSQL's folder is deleted").isEmpty();
		}

		Section sqlite = sections.get(2);
		assertThat(cell(sqlite, "**starter**", "failed transactions (all rounds)")).isEqualTo("0");
		assertThat(sqlite.ratios()).singleElement().satisfies(BenchmarksSmokeTests::measured);

		Section http = sections.get(3);
		assertThat(http.rows()).hasSize(8);
		assertThat(http.ratios()).hasSize(6).allSatisfy(BenchmarksSmokeTests::measured);
		for (List<String> row : http.rows()) {
			long requests = number(row, http, "requests (all runs)");
			long opened = number(row, http, "connections opened");
			if (row.get(1).startsWith("no pool")) {
				assertThat(opened).as("%s: a connection per request", row).isEqualTo(requests);
			}
			else {
				assertThat(opened).as("%s: connections reused", row).isPositive().isLessThan(requests);
			}
		}

		Section startup = sections.get(4);
		if (Files.isRegularFile(SAMPLE_APP)) {
			assertThat(startup.skipped()).isNull();
			assertThat(startup.rows()).hasSize(3);
			assertThat(startup.ratios()).singleElement().satisfies(BenchmarksSmokeTests::measured);
		}
		else {
			assertThat(startup.skipped()).contains(StartupCost.BUILD);
		}

		Section noKey = sections.get(5);
		assertThat(noKey.rows()).hasSize(2);
		assertThat(noKey.ratios()).hasSize(2).allSatisfy(BenchmarksSmokeTests::measured);
		assertThat(Integer.parseInt(cell(noKey, "**with the starter**", "bean definitions")))
			.as("the starter's beans come on top of plain Spring Boot's")
			.isGreaterThan(Integer.parseInt(cell(noKey, "plain Spring Boot", "bean definitions")));

		Section virtualThreads = sections.get(6);
		if (Runtime.version().feature() >= 21) {
			assertThat(virtualThreads.skipped()).isNull();
			assertThat(virtualThreads.rows()).hasSize(3);
		}
		else {
			assertThat(virtualThreads.skipped()).contains("needs Java 21");
		}

		Section r2dbc = sections.get(7);
		if (r2dbc.skipped() == null || TestEnvironment.required()) {
			assertThat(r2dbc.skipped()).as("the local PostgreSQL (required when CI=true)").isNull();
			assertThat(r2dbc.rows()).hasSize(8);
			// Per in-flight count: Boot's pool ÷ new connection, the starter's ÷ Boot's,
			// pre-ping on ÷ off.
			assertThat(r2dbc.ratios()).hasSize(6).allSatisfy(BenchmarksSmokeTests::measured);
			for (List<String> row : r2dbc.rows()) {
				long queries = number(row, r2dbc, "queries (all runs)");
				long opened = number(row, r2dbc, "connections opened");
				if (row.get(1).startsWith("new connection")) {
					assertThat(opened).as("%s: a connection per query", row).isEqualTo(queries);
				}
				else {
					assertThat(opened).as("%s: connections reused", row).isLessThan(queries);
				}
			}
		}
		else {
			assertThat(r2dbc.skipped()).contains("PostgreSQL not reachable");
		}

		String markdown = Files.readString(this.out.resolve(Results.MARKDOWN));
		assertThat(markdown).contains("## Summary", "hot path: starter ÷ raw HikariCP, same settings",
				"Reproduce: `benchmarks/run.sh --smoke");
		sections.forEach((section) -> assertThat(markdown).contains("## " + section.title()));
		Document chart = DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(this.out.resolve(Results.CHART).toFile());
		assertThat(chart.getDocumentElement().getTagName()).isEqualTo("svg");
		assertThat(chart.getElementsByTagName("rect").getLength()).isGreaterThan(hotPath.ratios().size());
	}

	private static void measured(Ratio ratio) {
		assertThat(ratio.value()).as(ratio.label()).isPositive().isFinite();
	}

	private static String cell(Section section, String rowStart, String column) {
		int index = section.header().indexOf(column);
		assertThat(index).as("column %s of %s", column, section.header()).isNotNegative();
		return section.rows()
			.stream()
			.filter((row) -> row.get(0).startsWith(rowStart))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no row " + rowStart + " in " + section.rows()))
			.get(index);
	}

	private static long number(List<String> row, Section section, String column) {
		int index = section.header().indexOf(column);
		assertThat(index).as("column %s of %s", column, section.header()).isNotNegative();
		return Long.parseLong(row.get(index).replace(",", ""));
	}

}
