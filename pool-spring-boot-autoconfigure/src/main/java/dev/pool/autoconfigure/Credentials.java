package dev.pool.autoconfigure;

import java.util.regex.Pattern;

/**
 * Masks credentials inside URLs before they reach a log line, a health detail or the
 * {@code pools} endpoint: {@code user:password@} user info and password-like query
 * parameters. Applied whatever actuator's {@code show-values} says.
 */
public final class Credentials {

	private static final Pattern USER_INFO = Pattern.compile("(//|:)([^/@:?;&]*)[:/]([^/@]*)@");

	private static final Pattern SECRET_PARAMETER = Pattern.compile(
			"(?i)([?&;](?:password|passwd|pwd|pass|secret|token|apikey|api-key|sslpassword|sslkey|sslcert|key)=)[^&;]*");

	private static final String MASK = "******";

	private Credentials() {
	}

	/**
	 * Mask the credentials of a URL.
	 * @param url a JDBC or HTTP URL, may be null
	 * @return the URL with every credential replaced by {@code ******}
	 */
	public static String mask(String url) {
		if (url == null) {
			return null;
		}
		String masked = USER_INFO.matcher(url).replaceAll("$1$2:" + MASK + "@");
		return SECRET_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
	}

}
