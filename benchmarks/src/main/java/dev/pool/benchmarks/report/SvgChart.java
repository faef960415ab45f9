package dev.pool.benchmarks.report;

import java.util.List;
import java.util.Locale;

/**
 * Every ratio of a run as a horizontal bar on a log scale, starting at 1× (as fast as the
 * case it is compared with), with its goal marked. Plain SVG written by hand: no tools.
 */
final class SvgChart {

	private static final int WIDTH = 1000;

	private static final int LABEL_WIDTH = 420;

	private static final int PLOT_WIDTH = 470;

	private static final int ROW = 24;

	private static final int TOP = 64;

	private final String subtitle;

	SvgChart(String subtitle) {
		this.subtitle = subtitle;
	}

	String render(List<Section> sections) {
		double low = 0.1;
		double high = 10;
		int rows = 0;
		for (Section section : sections) {
			rows++;
			rows += (section.skipped() != null) ? 1 : section.ratios().size();
			for (Ratio ratio : section.ratios()) {
				if (ratio.value() > 0 && Double.isFinite(ratio.value())) {
					low = Math.min(low, ratio.value() / 1.3);
					high = Math.max(high, ratio.value() * 1.3);
				}
				if (ratio.goal() != null) {
					high = Math.max(high, ratio.goal() * 1.3);
				}
			}
		}
		Scale scale = new Scale(Math.floor(Math.log10(low)), Math.ceil(Math.log10(high)));
		int height = TOP + rows * ROW + 70;
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
						+ "font-family=\"sans-serif\" font-size=\"13\">\n",
				WIDTH, height, WIDTH, height));
		svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, height));
		svg.append("<text x=\"12\" y=\"24\" font-size=\"17\" font-weight=\"bold\">pool-spring-boot-starter: "
				+ "each ratio measured side by side in one run</text>\n");
		svg.append("<text x=\"12\" y=\"44\" fill=\"#555555\">").append(escape(this.subtitle)).append("</text>\n");
		int plotBottom = TOP + rows * ROW;
		for (double exponent = scale.low; exponent <= scale.high; exponent++) {
			double x = scale.x(Math.pow(10, exponent));
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\"/>\n", x,
					TOP - 6, x, plotBottom, (exponent == 0) ? "#333333" : "#dddddd", (exponent == 0) ? "1.5" : "1"));
			svg.append(String.format(Locale.ROOT,
					"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555555\">%s×</text>\n", x,
					plotBottom + 16,
					(exponent < 0) ? String.format(Locale.ROOT, "%." + (int) -exponent + "f", Math.pow(10, exponent))
							: String.format(Locale.ROOT, "%.0f", Math.pow(10, exponent))));
		}
		int y = TOP;
		for (Section section : sections) {
			svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-weight=\"bold\">%s</text>\n", y + 16,
					escape(section.title())));
			y += ROW;
			if (section.skipped() != null) {
				svg.append(String.format(Locale.ROOT,
						"<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#888888\" font-style=\"italic\">not run</text>\n",
						LABEL_WIDTH - 8, y + 16));
				y += ROW;
				continue;
			}
			for (Ratio ratio : section.ratios()) {
				bar(svg, scale, ratio, y);
				y += ROW;
			}
		}
		legend(svg, plotBottom + 44);
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static void bar(StringBuilder svg, Scale scale, Ratio ratio, int y) {
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
				LABEL_WIDTH - 8, y + 16, escape(shortLabel(ratio.label()))));
		double one = scale.x(1);
		double end = (ratio.value() > 0 && Double.isFinite(ratio.value())) ? scale.x(ratio.value()) : one;
		double left = Math.min(one, end);
		double width = Math.max(1.5, Math.abs(end - one));
		svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
				left, y + 4, width, ROW - 8, colour(ratio.verdict())));
		if (ratio.goal() != null) {
			double goal = scale.x(ratio.goal());
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" stroke-width=\"2\"/>\n", goal,
					y + 1, goal, y + ROW - 1));
		}
		svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>\n", Math.max(one, end) + 6, y + 16,
				escape(ratio.formatted() + "×")));
	}

	/**
	 * The label without its prefix ("PostgreSQL: ..."): the section's title stands above
	 * it.
	 */
	private static String shortLabel(String label) {
		int colon = label.indexOf(": ");
		return (colon > 0 && colon < 30) ? label.substring(colon + 2) : label;
	}

	private static void legend(StringBuilder svg, int y) {
		String[][] entries = { { colour(Ratio.Verdict.MET), "goal met" },
				{ colour(Ratio.Verdict.WITHIN_NOISE), "below the goal, within noise" },
				{ colour(Ratio.Verdict.NOT_MET), "goal not met" }, { colour(Ratio.Verdict.REPORTED), "no goal" } };
		int x = 12;
		for (String[] entry : entries) {
			svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>\n",
					x, y - 11, entry[0]));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>\n", x + 20, y, entry[1]));
			x += 40 + entry[1].length() * 7;
		}
		svg.append(String.format(Locale.ROOT,
				"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\" stroke-width=\"2\"/>\n", x, y - 12, x,
				y + 2));
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">goal</text>\n", x + 8, y));
	}

	private static String colour(Ratio.Verdict verdict) {
		return switch (verdict) {
			case MET -> "#2e7d32";
			case WITHIN_NOISE -> "#f9a825";
			case NOT_MET -> "#c62828";
			case REPORTED -> "#78909c";
		};
	}

	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	/**
	 * Log-scale x positions between two powers of ten.
	 */
	private record Scale(double low, double high) {

		double x(double value) {
			return LABEL_WIDTH + (Math.log10(value) - this.low) / (this.high - this.low) * PLOT_WIDTH;
		}

	}

}
