package dev.pool.endpoint;

import dev.pool.Credentials;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the pools' credentials in the {@code env} and {@code configprops} endpoints, also
 * with {@code show-values=always} (where Spring Boot masks nothing by key):
 * <ul>
 * <li>the whole value of every key that holds a pool's credential
 * ({@code spring.datasource.password}, {@code spring.datasource.hikari.password},
 * {@code spring.datasource.hikari.data-source-properties.password},
 * {@code pool.read.password}, {@code pool.datasources.<name>.password},
 * {@code pool.credentials.*}... see
 * {@link Credentials#isPoolCredentialKey(String)});</li>
 * <li>the credentials inside URL-looking values (JDBC URLs, {@code http(s)://} and other
 * {@code scheme://} URLs) of any key: the password of {@code user:password@host}, and
 * {@code password=}, {@code token=} and similar parameters (see
 * {@link Credentials#mask(String)}). The rest of the URL stays readable.</li>
 * </ul>
 */
public class CredentialSanitizingFunction implements SanitizingFunction {

	@Override
	public SanitizableData apply(SanitizableData data) {
		if (data.getValue() == null) {
			return data;
		}
		if (Credentials.isPoolCredentialKey(data.getKey())) {
			return data.withSanitizedValue();
		}
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
