package dev.pool.jdbc.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.zaxxer.hikari.HikariConfig;
import dev.pool.Setting;
import dev.pool.jdbc.ManagedHikariDataSource;

/**
 * What a pool runs with, by {@code pool.*} key (each described {@link JdbcPoolKey}), and
 * where each value came from: the setting the starter applied, a customizer that changed
 * it afterwards, or, for a value the starter left alone, the application's own bean or
 * HikariCP's default.
 */
final class EffectiveSettings {

	/**
	 * Source of the idle timeout of a pool without overflow, which the mapping turns off.
	 */
	static final String NO_OVERFLOW = "no overflow: idle connections stay open";

	private static final Map<String, Object> HIKARI_DEFAULTS = values(new HikariConfig());

	private EffectiveSettings() {
	}

	/**
	 * The values a pool runs with, by {@code pool.*} key, the way HikariCP reads them
	 * when it starts (a maximum that is not set is 10; a size that is not set is the
	 * maximum).
	 * @param hikari the pool's configuration
	 * @return the values by key
	 */
	static Map<String, Object> values(HikariConfig hikari) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (JdbcPoolKey<?> key : JdbcPoolKey.ALL) {
			if (key.isDescribed()) {
				values.put(key.name(), key.read(hikari));
			}
		}
		return values;
	}

	/**
	 * Each value a pool runs with, and its source.
	 * @param applied the settings the starter applied (a key without a setting was not
	 * applied), null when the starter left the pool alone
	 * @param beforeCustomizers the pool's {@link #values(HikariConfig) values} before the
	 * customizers ran
	 * @param hikari the pool's configuration now
	 * @return the settings by key
	 */
	static Map<String, Setting<?>> of(JdbcPoolSettings applied, Map<String, Object> beforeCustomizers,
			HikariConfig hikari) {
		boolean managed = hikari instanceof ManagedHikariDataSource;
		Map<String, Setting<?>> settings = new LinkedHashMap<>();
		for (JdbcPoolKey<?> row : JdbcPoolKey.ALL) {
			if (!row.isDescribed()) {
				continue;
			}
			String key = row.name();
			Object value = row.read(hikari);
			// Only the starter's own pool class has the managed-only settings.
			Setting<?> setting = (applied != null && (managed || !row.isManagedOnly())) ? applied.get(row) : null;
			if (!Objects.equals(value, beforeCustomizers.get(key))) {
				settings.put(key, new Setting<>(value, Setting.CUSTOMIZER, "pool." + key));
			}
			else if (setting != null) {
				// The one value the mapping changes: a pool without overflow closes no
				// idle connection.
				String source = Objects.equals(value, setting.value()) ? setting.source() : NO_OVERFLOW;
				settings.put(key, new Setting<>(value, source, setting.key()));
			}
			else {
				String source = Objects.equals(value, HIKARI_DEFAULTS.get(key)) ? Setting.HIKARI_DEFAULT : Setting.BEAN;
				settings.put(key, new Setting<>(value, source, "pool." + key));
			}
		}
		return settings;
	}

}
