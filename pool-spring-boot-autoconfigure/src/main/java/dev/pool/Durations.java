package dev.pool;

import java.time.Duration;

/**
 * Writes durations the way users write them in application.yml: {@code 1h}, {@code 90s},
 * {@code 250ms}.
 */
public final class Durations {

	private Durations() {
	}

	public static String format(Duration duration) {
		if (duration == null) {
			return "unset";
		}
		long millis = duration.toMillis();
		if (millis == 0) {
			return "0";
		}
		if (millis % 3_600_000 == 0) {
			return millis / 3_600_000 + "h";
		}
		if (millis % 60_000 == 0) {
			return millis / 60_000 + "m";
		}
		if (millis % 1000 == 0) {
			return millis / 1000 + "s";
		}
		return millis + "ms";
	}

}
