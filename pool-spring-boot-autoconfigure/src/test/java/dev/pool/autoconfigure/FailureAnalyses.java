package dev.pool.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Gives tests in other packages the starter's failure analysis of a start-up failure.
 */
public final class FailureAnalyses {

	private FailureAnalyses() {
	}

	/**
	 * Analyze a start-up failure the way Spring Boot would print it.
	 * @param failure the failure
	 * @return the analysis, or null when the failure is not the starter's
	 */
	public static FailureAnalysis analyze(Throwable failure) {
		return new PoolConfigurationFailureAnalyzer().analyze(failure);
	}

}
