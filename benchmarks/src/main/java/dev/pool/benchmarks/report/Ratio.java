package dev.pool.benchmarks.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One figure of the results: how many times faster (or what fraction as fast) one case
 * was than another, both measured in the same run on the same machine.
 *
 * @param label what is compared, e.g. "starter / raw HikariCP"
 * @param value the ratio
 * @param error the half-width of its confidence interval, or NaN where the run gives none
 * @param goal the ratio the issue asks for at least, or null
 * @param low the lowest ratio of one round, or NaN when the ratio is not taken per round
 * @param high the highest ratio of one round, or NaN
 */
public record Ratio(String label, double value, double error, Double goal, double low, double high) {

	/**
	 * A ratio with an error estimate and no rounds.
	 * @param label what is compared
	 * @param value the ratio
	 * @param error the half-width of its confidence interval, or NaN
	 * @param goal the ratio asked for at least, or null
	 */
	public Ratio(String label, double value, double error, Double goal) {
		this(label, value, error, goal, Double.NaN, Double.NaN);
	}

	/**
	 * A ratio of two rates (higher is better) measured side by side in rounds: the ratio
	 * of each round (the two cases ran back to back, so a burst of other work on the
	 * machine hits both), then their median and their spread.
	 * @param label what is compared
	 * @param candidate the rate of the case measured, by round
	 * @param baseline the rate it is compared with, by round
	 * @param goal the ratio asked for at least, or null
	 * @return the median of the rounds' ratios, with the lowest and highest
	 */
	public static Ratio ofRoundRates(String label, List<Double> candidate, List<Double> baseline, Double goal) {
		if (candidate.size() != baseline.size() || candidate.isEmpty()) {
			throw new IllegalArgumentException(label + ": " + candidate.size() + " rounds against " + baseline.size());
		}
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < candidate.size(); i++) {
			ratios.add(candidate.get(i) / baseline.get(i));
		}
		return new Ratio(label, median(ratios), Double.NaN, goal, Collections.min(ratios), Collections.max(ratios));
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * Whether this ratio is the median of rounds, with their spread.
	 * @return true for {@link #ofRoundRates}
	 */
	public boolean hasRounds() {
		return !Double.isNaN(this.low);
	}

	/**
	 * A ratio of two rates (higher is better), such as queries per second.
	 * @param label what is compared
	 * @param candidate the rate of the case measured
	 * @param baseline the rate it is compared with
	 * @param goal the ratio asked for at least, or null
	 * @return the ratio, without an error estimate
	 */
	public static Ratio ofRates(String label, double candidate, double baseline, Double goal) {
		return new Ratio(label, candidate / baseline, Double.NaN, goal);
	}

	/**
	 * A ratio of throughputs from two average times (lower is better), with the error of
	 * each propagated.
	 * @param label what is compared
	 * @param candidate the average time of the case measured
	 * @param candidateError its error
	 * @param baseline the average time it is compared with
	 * @param baselineError its error
	 * @param goal the ratio asked for at least, or null
	 * @return baseline time / candidate time, with its error
	 */
	public static Ratio ofTimes(String label, double candidate, double candidateError, double baseline,
			double baselineError, Double goal) {
		double value = baseline / candidate;
		double relative = Math.hypot(candidateError / candidate, baselineError / baseline);
		return new Ratio(label, value, value * relative, goal);
	}

	/**
	 * How the ratio stands against its goal.
	 * @return the verdict
	 */
	public Verdict verdict() {
		if (this.goal == null) {
			return Verdict.REPORTED;
		}
		if (this.value >= this.goal) {
			return Verdict.MET;
		}
		if (!Double.isNaN(this.error) && this.value + this.error >= this.goal) {
			return Verdict.WITHIN_NOISE;
		}
		if (hasRounds() && this.high >= this.goal) {
			return Verdict.WITHIN_NOISE;
		}
		return Verdict.NOT_MET;
	}

	/**
	 * The ratio as the table shows it: {@code 0.99 ± 0.02}, {@code 41×}, or for rounds
	 * the median and the lowest and highest round, {@code 0.95 (0.91 – 0.97)}.
	 * @return the formatted value
	 */
	public String formatted() {
		String value = format(this.value);
		if (hasRounds()) {
			return value + " (" + format(this.low) + " – " + format(this.high) + ")";
		}
		return Double.isNaN(this.error) ? value : value + " ± " + format(this.error);
	}

	/**
	 * The goal as the table shows it.
	 * @return {@code ≥ 0.98}, or a dash
	 */
	public String formattedGoal() {
		return (this.goal != null) ? "≥ " + format(this.goal) : "—";
	}

	static String format(double ratio) {
		if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
			return "n/a";
		}
		if (ratio >= 10) {
			return String.format(Locale.ROOT, "%.0f", ratio);
		}
		if (ratio >= 1.5) {
			return String.format(Locale.ROOT, "%.1f", ratio);
		}
		return String.format(Locale.ROOT, "%.3f", ratio);
	}

	/**
	 * A ratio's standing against its goal.
	 */
	public enum Verdict {

		/** No goal: the figure is reported. */
		REPORTED("reported"),

		/** At or above the goal. */
		MET("met"),

		/** Below the goal, but the goal is inside the confidence interval. */
		WITHIN_NOISE("within noise"),

		/** Below the goal. */
		NOT_MET("not met");

		private final String text;

		Verdict(String text) {
			this.text = text;
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

}
