package dev.pool.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Reports a {@code pool.*} key bound to an enum ({@code pool.profile},
 * {@code pool.pre-ping-check}, ...) whose value names no constant, the way the starter
 * reports every bad value: the key, the value, the values allowed (as they are written in
 * application.yml) and what to do. Runs before Spring Boot's own bind failure analysis,
 * which would list the constants in upper case.
 */
class PoolEnumBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		String key = cause.getName().toString();
		Class<?> type = cause.getTarget().getType().resolve();
		if (!key.startsWith("pool.") || type == null || !type.isEnum()) {
			return null;
		}
		ConfigurationProperty property = cause.getProperty();
		Object value = (property != null) ? property.getValue() : null;
		String allowed = Arrays.stream(type.getEnumConstants())
			.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
			.collect(Collectors.joining(", "));
		String description = String.format("Invalid value '%s' for %s.%n%nAllowed: one of %s.", value, key, allowed);
		String origin = (property != null && property.getOrigin() != null) ? " (set in " + property.getOrigin() + ")"
				: "";
		return new FailureAnalysis(description,
				"Set " + key + " to one of " + allowed + origin + ", or remove it to use the default.", cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
