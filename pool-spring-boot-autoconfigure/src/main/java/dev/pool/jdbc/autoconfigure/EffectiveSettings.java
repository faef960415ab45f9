package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.zaxxer.hikari.HikariConfig;

import dev.pool.Setting;
import dev.pool.jdbc.ManagedHikariDataSource;

/**
 * What a pool runs with, by {@code pool.*} key, and where each value came from: the
 * setting the starter applied, a customizer that changed it afterwards, or, for a value the
 * starter left alone, the application's own bean or HikariCP's default.
 */
final class EffectiveSettings {

	/** HikariCP's {@code DEFAULT_POOL_SIZE}, what a maximum that is not set becomes. */
	private static final int HIKARI_DEFAULT_POOL_SIZE = 10;

	private static final Map<String, Object> HIKARI_DEFAULTS = values(new HikariConfig());

	private EffectiveSettings() {
	}

	/**
	 * The values a pool runs with, by {@code pool.*} key, the way HikariCP reads them when
	 * it starts (a maximum that is not set is 10; a size that is not set is the maximum).
	 * @param hikari the pool's configuration
	 * @return the values by key
	 */
	static Map<String, Object> values(HikariConfig hikari) {
		int max = (hikari.getMaximumPoolSize() >= 1) ? hikari.getMaximumPoolSize() : HIKARI_DEFAULT_POOL_SIZE;
		int min = hikari.getMinimumIdle();
		int size = (min < 0 || min > max) ? max : min;
		ManagedHikariDataSource managed = (hikari instanceof ManagedHikariDataSource pool) ? pool : null;
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("size", size);
		values.put("overflow", max - size);
		values.put("overflow-idle-timeout", Duration.ofMillis(hikari.getIdleTimeout()));
		values.put("recycle", Duration.ofMillis(hikari.getMaxLifetime()));
		values.put("acquire-timeout", Duration.ofMillis(hikari.getConnectionTimeout()));
		values.put("leak-detection-threshold", Duration.ofMillis(hikari.getLeakDetectionThreshold()));
		values.put("pre-ping", managed != null && managed.isStrictPrePing());
		values.put("max-waiting", (managed != null && managed.getMaxWaiting() >= 0) ? managed.getMaxWaiting() : null);
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
		Map<String, Setting<?>> applieds = (applied != null) ? byKey(applied) : Map.of();
		boolean managed = hikari instanceof ManagedHikariDataSource;
		Map<String, Setting<?>> settings = new LinkedHashMap<>();
		values(hikari).forEach((key, value) -> {
			// Only the starter's own pool class checks every borrow and limits waiting callers.
			boolean applies = managed || !(key.equals("pre-ping") || key.equals("max-waiting"));
			Setting<?> setting = applies ? applieds.get(key) : null;
			String pooled = "pool." + key;
			if (!Objects.equals(value, beforeCustomizers.get(key))) {
				settings.put(key, new Setting<>(value, Setting.CUSTOMIZER, pooled));
			}
			else if (setting != null) {
				settings.put(key, new Setting<>(value, setting.source(), setting.key()));
			}
			else {
				String source = Objects.equals(value, HIKARI_DEFAULTS.get(key)) ? Setting.HIKARI_DEFAULT : Setting.BEAN;
				settings.put(key, new Setting<>(value, source, pooled));
			}
		});
		return settings;
	}

	private static Map<String, Setting<?>> byKey(JdbcPoolSettings settings) {
		Map<String, Setting<?>> byKey = new LinkedHashMap<>();
		byKey.put("size", settings.size());
		byKey.put("overflow", settings.overflow());
		byKey.put("overflow-idle-timeout", settings.overflowIdleTimeout());
		byKey.put("recycle", settings.recycle());
		byKey.put("acquire-timeout", settings.acquireTimeout());
		byKey.put("leak-detection-threshold", settings.leakDetectionThreshold());
		byKey.put("pre-ping", settings.prePing());
		byKey.put("max-waiting", settings.maxWaiting());
		return byKey;
	}

}
