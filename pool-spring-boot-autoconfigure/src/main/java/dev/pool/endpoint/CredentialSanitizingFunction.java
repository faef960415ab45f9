package dev.pool.endpoint;

import dev.pool.Credentials;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks credentials inside URL-looking values (JDBC URLs, {@code http(s)://} and other
 * {@code scheme://} URLs) in the {@code env} and {@code configprops} endpoints, also with
 * {@code show-values=always}: the password of {@code user:password@host}, and
 * {@code password=}, {@code pwd=}, {@code token=} and similar parameters after {@code ?},
 * {@code &} or {@code ;}. Spring Boot's own sanitizing looks only at key names, so
 * {@code spring.datasource.url} would otherwise show the password inside it. The rest of
 * the URL stays readable.
 */
public class CredentialSanitizingFunction implements SanitizingFunction {

	@Override
	public SanitizableData apply(SanitizableData data) {
		if (data.getValue() instanceof CharSequence value && looksLikeUrl(value.toString())) {
			String masked = Credentials.mask(value.toString());
			if (!masked.contentEquals(value)) {
				return data.withValue(masked);
			}
		}
		return data;
	}

	private static boolean looksLikeUrl(String value) {
		return value.contains("://") || value.regionMatches(true, 0, "jdbc:", 0, 5);
	}

}
