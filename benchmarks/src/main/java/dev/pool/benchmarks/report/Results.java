package dev.pool.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The results of one run: the sections, and where and how they were measured. Written as
 * {@code RESULTS.md} (the tables) and {@code chart.svg} (every ratio against its goal).
 */
public final class Results {

	/** The results table. */
	public static final String MARKDOWN = "RESULTS.md";

	/** The chart of the ratios. */
	public static final String CHART = "chart.svg";

	private final String date;

	private final String machine;

	private final String command;

	private final String loadBefore;

	private final List<String> versions;

	private final List<Section> sections = new ArrayList<>();

	private String loadAfter = "unknown";

	/**
	 * Start the results of a run.
	 * @param date when it ran
	 * @param command the command that reproduces it
	 * @param versions the versions measured, e.g. {@code Spring Boot 4.1.0}
	 */
	public Results(String date, String command, List<String> versions) {
		this.date = date;
		this.command = command;
		this.versions = versions;
		this.machine = Machine.describe();
		this.loadBefore = Machine.loadAverage();
	}

	public void add(Section section) {
		this.sections.add(section);
	}

	public List<Section> sections() {
		return this.sections;
	}

	/**
	 * Note the load average at the end of the run.
	 */
	public void finish() {
		this.loadAfter = Machine.loadAverage();
	}

	/**
	 * Write {@code RESULTS.md} and {@code chart.svg}.
	 * @param directory the folder, created if needed
	 */
	public void write(Path directory) throws IOException {
		Files.createDirectories(directory);
		Files.writeString(directory.resolve(MARKDOWN), markdown());
		Files.writeString(directory.resolve(CHART),
				new SvgChart(this.date + ", " + this.machine).render(this.sections));
	}

	String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("# Benchmark results\n\n");
		md.append("Measured ").append(this.date).append(" on ").append(this.machine).append(".\n\n");
		md.append("Load average (1, 5, 15 min) at the start: ")
			.append(this.loadBefore)
			.append("; at the end: ")
			.append(this.loadAfter)
			.append(".\n\n");
		md.append("Versions: ").append(String.join(", ", this.versions)).append(".\n\n");
		md.append("Reproduce: `").append(this.command).append("`\n\n");
		md.append("Every figure is a ratio of two cases measured in this run on this machine. ")
			.append("± is the 99.9% confidence interval of JMH's score where JMH measured it.\n\n");
		md.append("## Summary\n\n");
		md.append("| figure | ratio | goal | verdict |\n|---|---|---|---|\n");
		for (Section section : this.sections) {
			for (Ratio ratio : section.ratios()) {
				md.append("| ")
					.append(ratio.label())
					.append(" | ")
					.append(ratio.formatted())
					.append(" | ")
					.append(ratio.formattedGoal())
					.append(" | ")
					.append(ratio.verdict())
					.append(" |\n");
			}
			if (section.skipped() != null) {
				md.append("| ")
					.append(section.title())
					.append(" | not run | | ")
					.append(section.skipped())
					.append(" |\n");
			}
		}
		md.append("\n![Every ratio against its goal](").append(CHART).append(")\n");
		for (Section section : this.sections) {
			md.append("\n## ").append(section.title()).append("\n\n");
			if (section.skipped() != null) {
				md.append("Not run: ").append(section.skipped()).append("\n");
				continue;
			}
			for (String paragraph : section.paragraphs()) {
				md.append(paragraph).append("\n\n");
			}
			if (!section.header().isEmpty()) {
				md.append(tableRow(section.header()));
				md.append("|---".repeat(section.header().size())).append("|\n");
				for (List<String> row : section.rows()) {
					md.append(tableRow(row));
				}
				md.append('\n');
			}
			for (String note : section.notes()) {
				md.append("- ").append(note).append('\n');
			}
		}
		return md.toString();
	}

	private static String tableRow(List<String> cells) {
		return "| " + String.join(" | ", cells) + " |\n";
	}

}
