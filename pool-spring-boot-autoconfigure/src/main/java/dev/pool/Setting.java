package dev.pool;

/**
 * An effective setting and where it came from, as the {@code pools} endpoint shows it.
 *
 * @param <T> the value's type
 * @param value the effective value
 * @param source where it came from: {@code default}, {@code profile:<name>},
 * {@code property} or {@code hikari}
 * @param key the key that supplied the value, named in error messages
 */
public record Setting<T>(T value, String source, String key) {

	/** Source of a value the user set under {@code pool.*}. */
	public static final String PROPERTY = "property";

	/** Source of a value the user set under {@code spring.datasource.hikari.*}. */
	public static final String HIKARI = "hikari";

	/** Source of a starter default that no profile changes. */
	public static final String DEFAULT = "default";

	public static <T> Setting<T> property(String key, T value) {
		return new Setting<>(value, PROPERTY, key);
	}

	public static <T> Setting<T> profile(String profile, String key, T value) {
		return new Setting<>(value, "profile:" + profile, key);
	}

	public boolean isExplicit() {
		return PROPERTY.equals(this.source) || HIKARI.equals(this.source);
	}

}
