package dev.pool.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link PoolConfigurationException} into a start-up report that names the key,
 * the value, what is allowed and what to do.
 */
class PoolConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<PoolConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PoolConfigurationException cause) {
		String description = String.format("Invalid value '%s' for %s.%n%nAllowed: %s.", cause.getValue(),
				cause.getKey(), cause.getAllowed());
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
