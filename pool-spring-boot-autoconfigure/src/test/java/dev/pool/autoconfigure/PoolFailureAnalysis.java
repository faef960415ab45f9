package dev.pool.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Lets tests of other packages read the start-up report of a failure, as Spring Boot
 * would print it.
 */
public final class PoolFailureAnalysis {

	private PoolFailureAnalysis() {
	}

	public static FailureAnalysis of(Throwable failure) {
		FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(failure);
		if (analysis == null) {
			throw new AssertionError("not a pool configuration failure: " + failure, failure);
		}
		return analysis;
	}

}
