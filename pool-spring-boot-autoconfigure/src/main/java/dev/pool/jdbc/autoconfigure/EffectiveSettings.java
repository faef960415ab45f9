package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import com.zaxxer.hikari.HikariConfig;
import dev.pool.Setting;
import dev.pool.jdbc.ManagedHikariDataSource;

/**
 * What a pool runs with, by {@code pool.*} key, and where each value came from: the
 * setting the starter applied, a customizer that changed it afterwards, or, for a value
 * the starter left alone, the application's own bean or HikariCP's default.
 */
final class EffectiveSettings {

	/** HikariCP's {@code DEFAULT_POOL_SIZE}, what a maximum that is not set becomes. */
	private static final int HIKARI_DEFAULT_POOL_SIZE = 10;

	/** Each key: the starter's setting, and how HikariCP's configuration holds it. */
	private static final List<Row> ROWS = List.of(new Row("size", JdbcPoolSettings::size, EffectiveSettings::size),
			new Row("overflow", JdbcPoolSettings::overflow, (hikari) -> maximum(hikari) - size(hikari)),
			new Row("overflow-idle-timeout", JdbcPoolSettings::overflowIdleTimeout,
					(hikari) -> Duration.ofMillis(hikari.getIdleTimeout())),
			new Row("recycle", JdbcPoolSettings::recycle, (hikari) -> Duration.ofMillis(hikari.getMaxLifetime())),
			new Row("acquire-timeout", JdbcPoolSettings::acquireTimeout,
					(hikari) -> Duration.ofMillis(hikari.getConnectionTimeout())),
			new Row("leak-detection-threshold", JdbcPoolSettings::leakDetectionThreshold,
					(hikari) -> Duration.ofMillis(hikari.getLeakDetectionThreshold())),
			// Only the starter's own pool class checks every borrow and limits waiting
			// callers.
			new Row("pre-ping", JdbcPoolSettings::prePing,
					(hikari) -> hikari instanceof ManagedHikariDataSource managed && managed.isStrictPrePing()),
			new Row("max-waiting", JdbcPoolSettings::maxWaiting,
					(hikari) -> (hikari instanceof ManagedHikariDataSource managed && managed.getMaxWaiting() >= 0)
							? managed.getMaxWaiting() : null));

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
		ROWS.forEach((row) -> values.put(row.key(), row.value().apply(hikari)));
		return values;
	}

	/**
	 * Each value a pool runs with, and its source.
	 * @param applied the settings the starter applied (a null setting was not applied),
	 * null when the starter left the pool alone
	 * @param beforeCustomizers the pool's {@link #values(HikariConfig) values} before the
	 * customizers ran
	 * @param hikari the pool's configuration now
	 * @return the settings by key
	 */
	static Map<String, Setting<?>> of(JdbcPoolSettings applied, Map<String, Object> beforeCustomizers,
			HikariConfig hikari) {
		boolean managed = hikari instanceof ManagedHikariDataSource;
		Map<String, Setting<?>> settings = new LinkedHashMap<>();
		for (Row row : ROWS) {
			String key = row.key();
			Object value = row.value().apply(hikari);
			boolean applies = managed || !(key.equals("pre-ping") || key.equals("max-waiting"));
			Setting<?> setting = (applied != null && applies) ? row.setting().apply(applied) : null;
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

	private static int maximum(HikariConfig hikari) {
		return (hikari.getMaximumPoolSize() >= 1) ? hikari.getMaximumPoolSize() : HIKARI_DEFAULT_POOL_SIZE;
	}

	private static int size(HikariConfig hikari) {
		int minimumIdle = hikari.getMinimumIdle();
		return (minimumIdle < 0 || minimumIdle > maximum(hikari)) ? maximum(hikari) : minimumIdle;
	}

	/**
	 * One key of the {@code pools} endpoint.
	 *
	 * @param key the {@code pool.*} key, without its prefix
	 * @param setting the starter's setting of that key
	 * @param value the value a pool's configuration holds for it
	 */
	private record Row(String key, Function<JdbcPoolSettings, Setting<?>> setting,
			Function<HikariConfig, Object> value) {
	}

}
