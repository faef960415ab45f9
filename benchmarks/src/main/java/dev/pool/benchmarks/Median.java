package dev.pool.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The median of repeated measurements: robust against one run that other work on the
 * machine slowed down.
 */
public final class Median {

	private Median() {
	}

	/**
	 * The median.
	 * @param values at least one value
	 * @return the middle value, or the mean of the two middle values
	 */
	public static double of(Collection<? extends Number> values) {
		List<Double> sorted = new ArrayList<>();
		values.forEach((value) -> sorted.add(value.doubleValue()));
		if (sorted.isEmpty()) {
			throw new IllegalArgumentException("no values");
		}
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

}
