package dev.pool.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

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
		FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(failure);
		return (analysis != null) ? analysis : new PoolEnumBindFailureAnalyzer().analyze(failure);
	}

	/**
	 * Assert that a start-up failure is the starter's, and that its report names the key,
	 * the value as shown, and what is allowed, and says what to do with the key.
	 * @param failure the start-up failure
	 * @param key the key at fault
	 * @param shown the value as the report shows it
	 * @param allowed a part of what the report says is allowed
	 */
	public static void assertReported(Throwable failure, String key, String shown, String allowed) {
		assertThat(failure).rootCause().isInstanceOf(PoolConfigurationException.class);
		FailureAnalysis analysis = analyze(failure);
		assertThat(analysis.getDescription()).contains(key).contains("'" + shown + "'").contains(allowed);
		assertThat(analysis.getAction()).contains(key);
	}

	/**
	 * The starter's exception behind a context that failed to start.
	 * @param context the context, which must have failed
	 * @return the {@link PoolConfigurationException} in the failure's causes
	 */
	public static PoolConfigurationException failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable cause = context.getStartupFailure();
		while (cause != null && !(cause instanceof PoolConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a PoolConfigurationException in %s", context.getStartupFailure()).isNotNull();
		return (PoolConfigurationException) cause;
	}

}
