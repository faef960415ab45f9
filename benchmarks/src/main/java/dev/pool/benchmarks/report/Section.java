package dev.pool.benchmarks.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One benchmark's part of the results: what was measured, a table of the cases, the
 * ratios that go into the summary and the chart, and notes. A section that could not run
 * says why.
 */
public final class Section {

	private final String title;

	private final List<String> paragraphs = new ArrayList<>();

	private List<String> header = List.of();

	private final List<List<String>> rows = new ArrayList<>();

	private final List<Ratio> ratios = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private String skipped;

	private boolean failed;

	public Section(String title) {
		this.title = title;
	}

	/**
	 * A section that did not run.
	 * @param title its title
	 * @param reason why, and what it takes
	 * @return the section
	 */
	public static Section skipped(String title, String reason) {
		Section section = new Section(title);
		section.skipped = reason;
		return section;
	}

	/**
	 * A section that failed: the run goes on with the others, and fails at the end.
	 * @param title its title
	 * @param failure what went wrong
	 * @return the section
	 */
	public static Section failed(String title, Throwable failure) {
		Section section = skipped(title, "failed: " + failure);
		section.failed = true;
		return section;
	}

	public Section paragraph(String text) {
		this.paragraphs.add(text);
		return this;
	}

	public Section header(String... columns) {
		this.header = List.of(columns);
		return this;
	}

	public Section row(String... cells) {
		if (cells.length != this.header.size()) {
			throw new IllegalArgumentException("a row of " + cells.length + " cells under " + this.header);
		}
		this.rows.add(Arrays.asList(cells));
		return this;
	}

	public Section ratio(Ratio ratio) {
		this.ratios.add(ratio);
		return this;
	}

	public Section note(String text) {
		this.notes.add(text);
		return this;
	}

	public String title() {
		return this.title;
	}

	public List<String> paragraphs() {
		return this.paragraphs;
	}

	public List<String> header() {
		return this.header;
	}

	public List<List<String>> rows() {
		return this.rows;
	}

	public List<Ratio> ratios() {
		return this.ratios;
	}

	public List<String> notes() {
		return this.notes;
	}

	/**
	 * Why the section did not run.
	 * @return the reason, or null when it ran
	 */
	public String skipped() {
		return this.skipped;
	}

	public boolean isFailed() {
		return this.failed;
	}

}
