package dev.pool;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Masks the credentials of the pools before they reach a log line, a health detail, the
 * {@code pools} endpoint or, through {@code CredentialSanitizingFunction}, the
 * {@code env} and {@code configprops} endpoints: inside URLs ({@link #mask(String)}) and
 * as the values of the keys that hold them ({@link #isPoolCredentialKey(String)}).
 */
public final class Credentials {

	/**
	 * Names of URL parameters and connection properties that hold a credential, matched
	 * whole and ignoring case: {@code password}, {@code password1} to {@code password3},
	 * {@code trustStorePassword}, {@code sslpassword}, {@code client_secret},
	 * {@code accessToken}, {@code api_key}, {@code sig} (a signed URL's signature)...
	 */
	private static final String SECRET_NAME = "[a-z_]*password\\d*|passwd|pwd|pass|[a-z_]*secret|[a-z_]*token"
			+ "|api[-_]?key|key|sslkey|sslcert|sig";

	/**
	 * {@code ?password=}, {@code &password=}, {@code ;password=} and DB2's
	 * {@code :password=} (its first property follows the database name), up to the next
	 * {@code &} or {@code ;}; a value in braces (SQL Server's {@code {s;t}}, where
	 * {@code }}} is a literal brace) up to its closing brace.
	 */
	private static final Pattern SECRET_PARAMETER = Pattern
		.compile("(?i)([?&;:](?:" + SECRET_NAME + ")=)(?:\\{(?:[^}]|\\}\\})*\\}|[^&;]*)");

	/**
	 * MySQL's key-value hosts, {@code (host=db,user=a,password=s)} and
	 * {@code address=(host=db)(password=s)}: up to the next {@code ,} or {@code )}.
	 */
	private static final Pattern SECRET_IN_PARENTHESES = Pattern
		.compile("(?i)([(,]\\s*(?:" + SECRET_NAME + ")\\s*=)[^,)]*");

	/** {@code //user:password@host}: the password may hold '@', so up to the last one. */
	private static final Pattern USER_INFO = Pattern.compile("(//)([^/?#:@;]*):([^/?#;]*)@");

	/**
	 * Oracle's {@code jdbc:oracle:thin:user/password@host}, also with the OCI driver; the
	 * password may hold '/' and '@', so up to the last '@'.
	 */
	private static final Pattern ORACLE_USER_INFO = Pattern.compile("(?i)(jdbc:oracle:[a-z0-9]+:)([^/:@]*)/([^?#;]*)@");

	/**
	 * The last element of a property key that holds a credential, lower case, without
	 * {@code -} and {@code _}.
	 */
	private static final Pattern SECRET_KEY = Pattern
		.compile("[a-z0-9]*password\\d*|passwd|pwd|pass|[a-z0-9]*secret|[a-z0-9]*token|apikey|sslkey|sig"
				+ "|authorization");

	/**
	 * The keys under {@code credentials} that hold no secret, as the last element of a
	 * key is compared: lower case, without {@code -} and {@code _}.
	 */
	private static final Set<String> NOT_SECRET_CREDENTIALS_KEYS = Set.of("usernamefile", "passwordfile", "provider",
			"checkinterval");

	private static final String MASK = "******";

	private Credentials() {
	}

	/**
	 * Mask the credentials of a URL.
	 * @param url a JDBC or HTTP URL, may be null
	 * @return the URL with every credential replaced by {@code ******}
	 */
	public static @Nullable String mask(@Nullable String url) {
		if (url == null) {
			return null;
		}
		String masked = SECRET_PARAMETER.matcher(url).replaceAll("$1" + MASK);
		masked = SECRET_IN_PARENTHESES.matcher(masked).replaceAll("$1" + MASK);
		masked = ORACLE_USER_INFO.matcher(masked).replaceAll("$1$2/" + MASK + "@");
		return USER_INFO.matcher(masked).replaceAll("$1$2:" + MASK + "@");
	}

	/**
	 * Whether a property key holds a credential of a pool: a password-like key under
	 * {@code spring.datasource} ({@code spring.datasource.password},
	 * {@code spring.datasource.hikari.password},
	 * {@code spring.datasource.hikari.data-source-properties.sslpassword}...) or under
	 * {@code pool} ({@code pool.read.password}, {@code pool.datasources.<name>.password},
	 * a named HTTP host's), and every key under {@code pool.credentials} (and any other
	 * {@code pool.*.credentials}) but the secret files' paths ({@code username-file},
	 * {@code password-file}), {@code provider} and {@code check-interval}, which are
	 * shown. Any form Spring Boot binds: kebab, camel or snake case, {@code [indexed]}
	 * map keys and {@code SPRING_DATASOURCE_PASSWORD} environment variables.
	 * @param key a property key, may be null
	 * @return whether its value is a credential the starter masks
	 */
	public static boolean isPoolCredentialKey(@Nullable String key) {
		if (key == null) {
			return false;
		}
		String name = key.toLowerCase(Locale.ROOT).replace("[", ".").replace("]", "").replace("-", "");
		if (name.indexOf('.') < 0) {
			name = name.replace('_', '.');
		}
		if (!name.startsWith("spring.datasource.") && !name.startsWith("pool.")) {
			return false;
		}
		String last = name.substring(name.lastIndexOf('.') + 1).replace("_", "");
		if (name.startsWith("pool.credentials.") || (name.startsWith("pool.") && name.contains(".credentials."))) {
			// The paths of the secret files, the provider's bean name and the interval
			// are not secrets; any other key there is taken for one.
			return !NOT_SECRET_CREDENTIALS_KEYS.contains(last);
		}
		return SECRET_KEY.matcher(last).matches();
	}

}
