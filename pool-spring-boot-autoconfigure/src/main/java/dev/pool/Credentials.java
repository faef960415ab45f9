package dev.pool;

import java.util.regex.Pattern;

/**
 * Masks credentials inside URLs before they reach a log line, a health detail or the
 * {@code pools} endpoint: {@code user:password@} user info and password-like query
 * parameters. Applied whatever actuator's {@code show-values} says.
 */
public final class Credentials {

	/** {@code //user:password@host}: the password may hold '@', so up to the last one. */
	private static final Pattern USER_INFO = Pattern.compile("(//)([^/?#:@;]*):([^/?#;]*)@");

	/** Oracle's {@code thin:user/password@host}. */
	private static final Pattern ORACLE_USER_INFO = Pattern.compile("(:thin:)([^/:@]*)/([^/?#;]*)@");

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
		String masked = SECRET_PARAMETER.matcher(url).replaceAll("$1" + MASK);
		masked = USER_INFO.matcher(masked).replaceAll("$1$2:" + MASK + "@");
		return ORACLE_USER_INFO.matcher(masked).replaceAll("$1$2/" + MASK + "@");
	}

}
