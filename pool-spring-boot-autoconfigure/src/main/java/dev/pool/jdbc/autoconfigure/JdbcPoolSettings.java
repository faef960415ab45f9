package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import com.zaxxer.hikari.HikariConfig;
import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.PrePingCheck;

/**
 * The effective settings of a JDBC pool, a {@link Setting} per {@link JdbcPoolKey}:
 * {@code pool.*} on top of the profile, with the user's explicit
 * {@code spring.datasource.hikari.*} keys winning over profile values. Every value
 * carries its source. Resolving validates: a bad value throws
 * {@link PoolConfigurationException}; nothing is clamped. A key without a setting is not
 * applied (a pool of the application's own keeps its value).
 *
 * @param profile the preset
 * @param settings the settings by key, in the order of {@link JdbcPoolKey#ALL}
 */
record JdbcPoolSettings(PoolProfile profile, Map<JdbcPoolKey<?>, Setting<?>> settings) {

	/** Source of a default that applies because virtual threads are on. */
	static final String VIRTUAL_THREADS = JdbcPoolKey.VIRTUAL_THREADS;

	JdbcPoolSettings {
		Map<JdbcPoolKey<?>, Setting<?>> ordered = new LinkedHashMap<>();
		for (JdbcPoolKey<?> key : JdbcPoolKey.ALL) {
			Setting<?> setting = settings.get(key);
			if (setting != null) {
				ordered.put(key, setting);
			}
		}
		settings = Collections.unmodifiableMap(ordered);
	}

	/**
	 * The setting of a key.
	 * @param <T> the key's type
	 * @param key the key
	 * @return its setting, or null when the key is not applied
	 */
	@SuppressWarnings("unchecked")
	<T> Setting<T> get(JdbcPoolKey<T> key) {
		return (Setting<T>) this.settings.get(key);
	}

	/** Connections kept open (HikariCP {@code minimumIdle}). */
	Setting<Integer> size() {
		return get(JdbcPoolKey.SIZE);
	}

	/** Extra connections under bursts ({@code maximumPoolSize - minimumIdle}). */
	Setting<Integer> overflow() {
		return get(JdbcPoolKey.OVERFLOW);
	}

	/** How long an idle overflow connection lives ({@code idleTimeout}). */
	Setting<Duration> overflowIdleTimeout() {
		return get(JdbcPoolKey.OVERFLOW_IDLE_TIMEOUT);
	}

	/** The age at which a connection is replaced ({@code maxLifetime}). */
	Setting<Duration> recycle() {
		return get(JdbcPoolKey.RECYCLE);
	}

	/** How long a caller waits for a connection ({@code connectionTimeout}). */
	Setting<Duration> acquireTimeout() {
		return get(JdbcPoolKey.ACQUIRE_TIMEOUT);
	}

	/** Hold time logged as a leak, zero when off. */
	Setting<Duration> leakDetectionThreshold() {
		return get(JdbcPoolKey.LEAK_DETECTION_THRESHOLD);
	}

	/** Whether every borrow checks the connection is alive. */
	Setting<Boolean> prePing() {
		return get(JdbcPoolKey.PRE_PING);
	}

	/** How many callers may wait for a connection, a null value when unlimited. */
	Setting<Integer> maxWaiting() {
		return get(JdbcPoolKey.MAX_WAITING);
	}

	/** How pre-ping checks a connection. */
	Setting<PrePingCheck> prePingCheck() {
		return get(JdbcPoolKey.PRE_PING_CHECK);
	}

	/**
	 * The most connections the pool opens: {@code size + overflow}.
	 * @return the maximum pool size
	 */
	int maximum() {
		return size().value() + overflow().value();
	}

	/**
	 * The same settings with one key's setting replaced.
	 * @param <T> the key's type
	 * @param key the key
	 * @param setting its new setting, null to leave the key unapplied
	 * @return the new settings
	 */
	<T> JdbcPoolSettings with(JdbcPoolKey<T> key, Setting<T> setting) {
		Map<JdbcPoolKey<?>, Setting<?>> settings = new LinkedHashMap<>(this.settings);
		settings.put(key, setting);
		return new JdbcPoolSettings(this.profile, settings);
	}

	/**
	 * The same settings with the sizes a pool's layout gives it (SQLite's one writer
	 * connection, a replica's {@code pool.read.size}); the waiting room's default under
	 * virtual threads follows that pool's own maximum.
	 * @param size connections kept open
	 * @param overflow extra connections under bursts
	 * @return the settings of that pool
	 */
	JdbcPoolSettings withSizes(Setting<Integer> size, Setting<Integer> overflow) {
		return with(JdbcPoolKey.SIZE, size).with(JdbcPoolKey.OVERFLOW, overflow)
			.withWaitingRoomFor(size.value() + overflow.value());
	}

	/**
	 * The same settings with the waiting room under virtual threads sized on a pool's own
	 * maximum (a pool of the application's own, whose sizes its code may have set).
	 * @param maximumPoolSize the pool's maximum, once every size is applied
	 * @return the settings of that pool; these settings when the waiting room is not the
	 * virtual threads' default
	 */
	JdbcPoolSettings withWaitingRoomFor(int maximumPoolSize) {
		Setting<Integer> waiting = maxWaiting();
		if (waiting == null || !VIRTUAL_THREADS.equals(waiting.source())) {
			return this;
		}
		return with(JdbcPoolKey.MAX_WAITING, new Setting<>(
				JdbcPoolKey.VIRTUAL_THREADS_WAITING_PER_CONNECTION * maximumPoolSize, VIRTUAL_THREADS, waiting.key()));
	}

	/**
	 * The same settings with another recycle age (an in-memory SQLite database's one
	 * connection is never recycled).
	 * @param recycle the age at which a connection is replaced, zero for never
	 * @return the settings of that pool
	 */
	JdbcPoolSettings withRecycle(Setting<Duration> recycle) {
		return with(JdbcPoolKey.RECYCLE, recycle);
	}

	/**
	 * What a pool of the application's own that no {@code pool.datasources.<name>} key
	 * names gets: nothing but the waiting room's default under virtual threads; every
	 * other key is left as the bean has it.
	 * @return the settings to apply to the application's own pool
	 */
	JdbcPoolSettings forOwnBean() {
		return only((setting) -> VIRTUAL_THREADS.equals(setting.source()));
	}

	/**
	 * The keys the user set, and the waiting room's default under virtual threads; every
	 * other key unapplied.
	 */
	private JdbcPoolSettings explicitOnly() {
		return only((setting) -> Setting.PROPERTY.equals(setting.source()) || VIRTUAL_THREADS.equals(setting.source()));
	}

	private JdbcPoolSettings only(Predicate<Setting<?>> kept) {
		Map<JdbcPoolKey<?>, Setting<?>> settings = new LinkedHashMap<>(this.settings);
		settings.values().removeIf(kept.negate());
		return new JdbcPoolSettings(this.profile, settings);
	}

	/**
	 * The settings of a pool of the application's own from its
	 * {@code pool.datasources.<name>.*} keys, which take the same values and rules as
	 * {@code pool.*}. A key set there wins over the value the bean's code set; a key left
	 * unset keeps the bean's value, unless {@code pool.datasources.<name>.profile} is
	 * set, then the profile's value applies.
	 * @param name the DataSource's bean name or routing key
	 * @param keys its {@code pool.datasources.<name>.*} keys
	 * @param global the {@code pool.*} keys, for what the pools share
	 * ({@code effective-spindles}, and the profile when none is set here)
	 * @param cores the processors available, for {@code size: auto}
	 * @param virtualThreads whether the application runs on virtual threads
	 * @return the settings to apply, each named by its {@code pool.datasources} key
	 */
	static JdbcPoolSettings forDataSource(String name, PoolProperties.DataSourcePool keys, PoolProperties global,
			int cores, boolean virtualThreads) {
		PoolProfile profile = (keys.getProfile() != null) ? keys.getProfile() : global.getProfile();
		JdbcPoolSettings resolved = resolve(keys, profile, HikariKeys.NONE, new JdbcPoolKey.Context(
				"pool.datasources." + name + ".", cores, global.getEffectiveSpindles(), virtualThreads));
		return (keys.getProfile() != null) ? resolved : resolved.explicitOnly();
	}

	/**
	 * The settings a pool of the application's own runs with: those applied, and the
	 * bean's own values for the rest.
	 * @param applied the settings applied to it (a key without a setting was not)
	 * @param pool the pool, configured
	 * @return every setting the pool describes, and the pre-ping check applied
	 */
	static JdbcPoolSettings effective(JdbcPoolSettings applied, HikariConfig pool) {
		Map<String, Setting<?>> values = EffectiveSettings.of(applied, EffectiveSettings.values(pool), pool);
		Map<JdbcPoolKey<?>, Setting<?>> settings = new LinkedHashMap<>();
		for (JdbcPoolKey<?> key : JdbcPoolKey.ALL) {
			settings.put(key, key.isDescribed() ? values.get(key.name()) : applied.get(key));
		}
		return new JdbcPoolSettings(applied.profile, settings);
	}

	/**
	 * Resolve and validate the settings of Spring Boot's DataSource.
	 * @param properties the bound {@code pool.*} keys
	 * @param hikari the {@code spring.datasource.hikari.*} keys the user set
	 * @param cores the processors available, for {@code size: auto}
	 * @param virtualThreads whether the application runs on virtual threads (then the
	 * waiting room has a default size)
	 * @return the effective settings
	 */
	static JdbcPoolSettings resolve(PoolProperties properties, HikariKeys hikari, int cores, boolean virtualThreads) {
		if (properties.getEffectiveSpindles() < 0) {
			throw new PoolConfigurationException("pool.effective-spindles", properties.getEffectiveSpindles(),
					"a whole number, 0 or more", "Set pool.effective-spindles to the number of disks, usually 1.");
		}
		return resolve(properties, properties.getProfile(), hikari,
				new JdbcPoolKey.Context("pool.", cores, properties.getEffectiveSpindles(), virtualThreads));
	}

	/**
	 * Resolve every key of one pool, in the order of {@link JdbcPoolKey#ALL}, then check
	 * each key's own rules and, once they pass, the rules between keys.
	 * @param properties the bound keys of the pool
	 * @param profile the profile in effect
	 * @param hikari the {@code spring.datasource.hikari.*} keys the user set
	 * @param context the prefix of the keys and what {@code size: auto} counts with
	 * @return the effective settings, every key set
	 */
	static JdbcPoolSettings resolve(JdbcPoolSettingsProperties properties, PoolProfile profile, HikariKeys hikari,
			JdbcPoolKey.Context context) {
		Resolution values = new Resolution(context.prefix());
		for (JdbcPoolKey<?> key : JdbcPoolKey.ALL) {
			if (key.isPerDataSource() || "pool.".equals(context.prefix())) {
				resolve(key, properties, profile, hikari, values, context);
			}
		}
		for (boolean cross : new boolean[] { false, true }) {
			for (JdbcPoolKey<?> key : values.settings.keySet()) {
				key.validate(values, cross);
			}
		}
		return new JdbcPoolSettings(profile, values.settings);
	}

	private static <T> void resolve(JdbcPoolKey<T> key, JdbcPoolSettingsProperties properties, PoolProfile profile,
			HikariKeys hikari, Resolution values, JdbcPoolKey.Context context) {
		values.put(key, key.resolve(properties, profile, hikari, values, context));
	}

	/**
	 * Describe the settings in one line, for the start-up log.
	 * @return a summary without any credential
	 */
	String summary() {
		return String.format(Locale.ROOT,
				"size=%d overflow=%d (max %d) recycle=%s acquire-timeout=%s overflow-idle-timeout=%s pre-ping=%s%s profile=%s",
				size().value(), overflow().value(), maximum(), Durations.format(recycle().value()),
				Durations.format(acquireTimeout().value()), Durations.format(overflowIdleTimeout().value()),
				prePing().value() ? "on" : "off",
				(maxWaiting().value() != null) ? " max-waiting=" + maxWaiting().value() : "", this.profile.id());
	}

	/**
	 * The keys of one pool as they are resolved.
	 */
	private static final class Resolution implements JdbcPoolKey.Values {

		private final String prefix;

		private final Map<JdbcPoolKey<?>, Setting<?>> settings = new LinkedHashMap<>();

		Resolution(String prefix) {
			this.prefix = prefix;
		}

		@Override
		@SuppressWarnings("unchecked")
		public <V> Setting<V> setting(JdbcPoolKey<V> key) {
			return (Setting<V>) this.settings.get(key);
		}

		@Override
		public <V> void put(JdbcPoolKey<V> key, Setting<V> setting) {
			this.settings.put(key, setting);
		}

		@Override
		public String name(JdbcPoolKey<?> key) {
			return this.prefix + key.name();
		}

	}

}
