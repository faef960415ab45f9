package dev.pool;

/**
 * An effective setting and where it came from, as the {@code pools} endpoint shows it.
 *
 * @param <T> the value's type
 * @param value the effective value
 * @param source where it came from: {@code default}, {@code profile:<name>},
 * {@code property}, {@code hikari}, {@code hikari default}, {@code bean},
 * {@code customizer}, or why the pool's layout fixes it
 * @param key the key that supplied the value, named in error messages
 */
public record Setting<T>(T value, String source, String key) {

	/** Source of a value the user set under {@code pool.*}. */
	public static final String PROPERTY = "property";

	/** Source of a value the user set under {@code spring.datasource.hikari.*}. */
	public static final String HIKARI = "hikari";

	/** Source of a starter default that no profile changes. */
	public static final String DEFAULT = "default";

	/** Source of HikariCP's own default, in a pool of the application's own. */
	public static final String HIKARI_DEFAULT = "hikari default";

	/** Source of a value the application's own DataSource bean was built with. */
	public static final String BEAN = "bean";

	/** Source of a value a customizer bean set after the {@code pool.*} keys. */
	public static final String CUSTOMIZER = "customizer";

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
