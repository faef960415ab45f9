package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariConfig;
import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.PrePingCheck;

/**
 * The effective settings of the JDBC pool: {@code pool.*} on top of the profile, with the
 * user's explicit {@code spring.datasource.hikari.*} keys winning over profile values.
 * Every value carries its source. Resolving validates: a bad value throws
 * {@link PoolConfigurationException}; nothing is clamped.
 *
 * @param profile the preset
 * @param size connections kept open (HikariCP {@code minimumIdle})
 * @param overflow extra connections under bursts ({@code maximumPoolSize - minimumIdle})
 * @param overflowIdleTimeout how long an idle overflow connection lives
 * ({@code idleTimeout})
 * @param recycle the age at which a connection is replaced ({@code maxLifetime})
 * @param acquireTimeout how long a caller waits for a connection
 * ({@code connectionTimeout})
 * @param leakDetectionThreshold hold time logged as a leak, zero when off
 * @param prePing whether every borrow checks the connection is alive
 * @param maxWaiting how many callers may wait for a connection, null when unlimited
 * @param prePingCheck how pre-ping checks a connection
 */
record JdbcPoolSettings(PoolProfile profile, Setting<Integer> size, Setting<Integer> overflow,
		Setting<Duration> overflowIdleTimeout, Setting<Duration> recycle, Setting<Duration> acquireTimeout,
		Setting<Duration> leakDetectionThreshold, Setting<Boolean> prePing, Setting<Integer> maxWaiting,
		Setting<PrePingCheck> prePingCheck) {

	static final Duration MIN_RECYCLE = Duration.ofSeconds(30);

	/**
	 * Callers allowed to wait per connection of the pool's maximum when virtual threads
	 * are on and {@code pool.max-waiting} is not set.
	 */
	static final int VIRTUAL_THREADS_WAITING_PER_CONNECTION = 10;

	/** Source of a default that applies because virtual threads are on. */
	static final String VIRTUAL_THREADS = "default (virtual threads)";

	static final Duration MIN_ACQUIRE_TIMEOUT = Duration.ofMillis(250);

	static final Duration MIN_OVERFLOW_IDLE_TIMEOUT = Duration.ofSeconds(10);

	static final Duration MIN_LEAK_DETECTION_THRESHOLD = Duration.ofSeconds(2);

	/**
	 * The most connections the pool opens: {@code size + overflow}.
	 * @return the maximum pool size
	 */
	int maximum() {
		return this.size.value() + this.overflow.value();
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
		return new JdbcPoolSettings(this.profile, size, overflow, this.overflowIdleTimeout, this.recycle,
				this.acquireTimeout, this.leakDetectionThreshold, this.prePing,
				VIRTUAL_THREADS.equals(this.maxWaiting.source())
						? new Setting<>(VIRTUAL_THREADS_WAITING_PER_CONNECTION * (size.value() + overflow.value()),
								VIRTUAL_THREADS, this.maxWaiting.key())
						: this.maxWaiting,
				this.prePingCheck);
	}

	/**
	 * The same settings with the waiting room under virtual threads sized on a pool's own
	 * maximum (a pool of the application's own, whose sizes its code may have set).
	 * @param maximumPoolSize the pool's maximum, once every size is applied
	 * @return the settings of that pool; these settings when the waiting room is not the
	 * virtual threads' default
	 */
	JdbcPoolSettings withWaitingRoomFor(int maximumPoolSize) {
		if (this.maxWaiting == null || !VIRTUAL_THREADS.equals(this.maxWaiting.source())) {
			return this;
		}
		return new JdbcPoolSettings(this.profile, this.size, this.overflow, this.overflowIdleTimeout, this.recycle,
				this.acquireTimeout, this.leakDetectionThreshold, this.prePing,
				new Setting<>(VIRTUAL_THREADS_WAITING_PER_CONNECTION * maximumPoolSize, VIRTUAL_THREADS,
						this.maxWaiting.key()),
				this.prePingCheck);
	}

	/**
	 * The same settings with another recycle age (an in-memory SQLite database's one
	 * connection is never recycled).
	 * @param recycle the age at which a connection is replaced, zero for never
	 * @return the settings of that pool
	 */
	JdbcPoolSettings withRecycle(Setting<Duration> recycle) {
		return new JdbcPoolSettings(this.profile, this.size, this.overflow, this.overflowIdleTimeout, recycle,
				this.acquireTimeout, this.leakDetectionThreshold, this.prePing, this.maxWaiting, this.prePingCheck);
	}

	/**
	 * What a pool of the application's own that no {@code pool.datasources.<name>} key
	 * names gets: nothing but the waiting room's default under virtual threads; every
	 * other setting is null (left as the bean has it).
	 * @return the settings to apply to the application's own pool
	 */
	JdbcPoolSettings forOwnBean() {
		return new JdbcPoolSettings(this.profile, null, null, null, null, null, null, null,
				(VIRTUAL_THREADS.equals(this.maxWaiting.source())) ? this.maxWaiting : null, null);
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
	 * ({@code effective-spindles})
	 * @param cores the processors available, for {@code size: auto}
	 * @param virtualThreads whether the application runs on virtual threads
	 * @return the settings to apply, each named by its {@code pool.datasources} key; a
	 * null setting is not applied
	 */
	static JdbcPoolSettings forDataSource(String name, PoolProperties.DataSourcePool keys, PoolProperties global,
			int cores, boolean virtualThreads) {
		String prefix = "pool.datasources." + name + ".";
		PoolProperties properties = new PoolProperties();
		properties.setProfile((keys.getProfile() != null) ? keys.getProfile() : global.getProfile());
		properties.setSize(keys.getSize());
		properties.setOverflow(keys.getOverflow());
		properties.setOverflowIdleTimeout(keys.getOverflowIdleTimeout());
		properties.setRecycle(keys.getRecycle());
		properties.setPrePing(keys.getPrePing());
		properties.setAcquireTimeout(keys.getAcquireTimeout());
		properties.setLeakDetectionThreshold(keys.getLeakDetectionThreshold());
		properties.setMaxWaiting(keys.getMaxWaiting());
		properties.setEffectiveSpindles(global.getEffectiveSpindles());
		properties.setInstances(global.getInstances());
		properties.setReservedConnections(global.getReservedConnections());
		JdbcPoolSettings resolved;
		try {
			resolved = resolve(properties, NO_HIKARI_KEYS, cores, virtualThreads);
		}
		catch (PoolConfigurationException ex) {
			throw new PoolConfigurationException(rename(ex.getKey(), prefix), ex.getValue(),
					rename(ex.getAllowed(), prefix), rename(ex.getAction(), prefix));
		}
		JdbcPoolSettings settings = (keys.getProfile() != null) ? resolved : resolved.explicitOnly();
		return new JdbcPoolSettings(settings.profile, rename(settings.size, prefix), rename(settings.overflow, prefix),
				rename(settings.overflowIdleTimeout, prefix), rename(settings.recycle, prefix),
				rename(settings.acquireTimeout, prefix), rename(settings.leakDetectionThreshold, prefix),
				rename(settings.prePing, prefix), rename(settings.maxWaiting, prefix), null);
	}

	/**
	 * The settings a pool of the application's own runs with: those applied, and the
	 * bean's own values for the rest.
	 * @param applied the settings applied to it (a null setting was not)
	 * @param pool the pool, configured
	 * @return every setting, none null
	 */
	static JdbcPoolSettings effective(JdbcPoolSettings applied, HikariConfig pool) {
		Map<String, Setting<?>> values = EffectiveSettings.of(applied, EffectiveSettings.values(pool), pool);
		return new JdbcPoolSettings(applied.profile, value(values, "size"), value(values, "overflow"),
				value(values, "overflow-idle-timeout"), value(values, "recycle"), value(values, "acquire-timeout"),
				value(values, "leak-detection-threshold"), value(values, "pre-ping"), value(values, "max-waiting"),
				applied.prePingCheck);
	}

	@SuppressWarnings("unchecked")
	private static <T> Setting<T> value(Map<String, Setting<?>> values, String key) {
		return (Setting<T>) values.get(key);
	}

	/** The keys of one pool that {@code pool.datasources.<name>.*} repeats. */
	private static final Pattern POOL_KEY = Pattern.compile("\\bpool\\.(?=(profile|size|overflow|overflow-idle-timeout"
			+ "|recycle|pre-ping|acquire-timeout|leak-detection-threshold|max-waiting)\\b)");

	private static final HikariKeys NO_HIKARI_KEYS = new HikariKeys(null, null, null, null, null, null);

	private static String rename(String text, String prefix) {
		return (text != null) ? POOL_KEY.matcher(text).replaceAll(Matcher.quoteReplacement(prefix)) : null;
	}

	private static <T> Setting<T> rename(Setting<T> setting, String prefix) {
		return (setting != null) ? new Setting<>(setting.value(), setting.source(), rename(setting.key(), prefix))
				: null;
	}

	/**
	 * The keys the user set, and the waiting room's default under virtual threads; every
	 * other setting null.
	 */
	private JdbcPoolSettings explicitOnly() {
		return new JdbcPoolSettings(this.profile, explicit(this.size), explicit(this.overflow),
				explicit(this.overflowIdleTimeout), explicit(this.recycle), explicit(this.acquireTimeout),
				explicit(this.leakDetectionThreshold), explicit(this.prePing),
				(VIRTUAL_THREADS.equals(this.maxWaiting.source())) ? this.maxWaiting : explicit(this.maxWaiting),
				explicit(this.prePingCheck));
	}

	private static <T> Setting<T> explicit(Setting<T> setting) {
		return Setting.PROPERTY.equals(setting.source()) ? setting : null;
	}

	/**
	 * Resolve and validate the settings.
	 * @param properties the bound {@code pool.*} keys
	 * @param hikari the {@code spring.datasource.hikari.*} keys the user set
	 * @param cores the processors available, for {@code size: auto}
	 * @param virtualThreads whether the application runs on virtual threads (then the
	 * waiting room has a default size)
	 * @return the effective settings
	 */
	static JdbcPoolSettings resolve(PoolProperties properties, HikariKeys hikari, int cores, boolean virtualThreads) {
		validateCounts(properties);
		PoolProfile profile = PoolProfile.of(properties.getProfile());
		Setting<Integer> size = pick(explicitSize(properties, cores), HikariKeys.MINIMUM_IDLE, hikari.minimumIdle(),
				Setting.profile(profile.id(), "pool.size", profile.size()), Object::toString);
		Setting<Integer> overflow;
		if (hikari.maximumPoolSize() != null) {
			int maximum = hikari.maximumPoolSize();
			if (properties.getOverflow() != null && size.value() + properties.getOverflow() != maximum) {
				throw conflict("pool.overflow",
						size.value() + " + " + properties.getOverflow() + " = "
								+ (size.value() + properties.getOverflow()) + " connections",
						HikariKeys.MAXIMUM_POOL_SIZE, String.valueOf(maximum));
			}
			if (maximum < size.value()) {
				if (size.isExplicit()) {
					throw conflict(size.key(), String.valueOf(size.value()), HikariKeys.MAXIMUM_POOL_SIZE,
							maximum + " (below the size)");
				}
				size = new Setting<>(maximum, Setting.HIKARI, HikariKeys.MAXIMUM_POOL_SIZE);
			}
			overflow = new Setting<>(maximum - size.value(), Setting.HIKARI, HikariKeys.MAXIMUM_POOL_SIZE);
		}
		else {
			overflow = (properties.getOverflow() != null) ? Setting.property("pool.overflow", properties.getOverflow())
					: Setting.profile(profile.id(), "pool.overflow", profile.overflow());
		}
		JdbcPoolSettings settings = new JdbcPoolSettings(profile, size, overflow,
				pick(duration("pool.overflow-idle-timeout", properties.getOverflowIdleTimeout()),
						HikariKeys.IDLE_TIMEOUT, millis(hikari.idleTimeout()),
						Setting.profile(profile.id(), "pool.overflow-idle-timeout", profile.overflowIdleTimeout()),
						Durations::format),
				pick(duration("pool.recycle", properties.getRecycle()), HikariKeys.MAX_LIFETIME,
						millis(hikari.maxLifetime()), Setting.profile(profile.id(), "pool.recycle", profile.recycle()),
						Durations::format),
				pick(duration("pool.acquire-timeout", properties.getAcquireTimeout()), HikariKeys.CONNECTION_TIMEOUT,
						millis(hikari.connectionTimeout()),
						Setting.profile(profile.id(), "pool.acquire-timeout", profile.acquireTimeout()),
						Durations::format),
				pick(duration("pool.leak-detection-threshold", properties.getLeakDetectionThreshold()),
						HikariKeys.LEAK_DETECTION_THRESHOLD, millis(hikari.leakDetectionThreshold()),
						new Setting<>(Duration.ZERO, Setting.DEFAULT, "pool.leak-detection-threshold"),
						Durations::format),
				(properties.getPrePing() != null) ? Setting.property("pool.pre-ping", properties.getPrePing())
						: new Setting<>(true, Setting.DEFAULT, "pool.pre-ping"),
				(properties.getMaxWaiting() != null) ? Setting.property("pool.max-waiting", properties.getMaxWaiting())
						: new Setting<>(virtualThreads
								? VIRTUAL_THREADS_WAITING_PER_CONNECTION * (size.value() + overflow.value()) : null,
								virtualThreads ? VIRTUAL_THREADS : Setting.DEFAULT, "pool.max-waiting"),
				(properties.getPrePingCheck() != null)
						? Setting.property("pool.pre-ping-check", properties.getPrePingCheck())
						: new Setting<>(PrePingCheck.AUTO, Setting.DEFAULT, "pool.pre-ping-check"));
		settings.validate();
		return settings;
	}

	private static void validateCounts(PoolProperties properties) {
		if (properties.getEffectiveSpindles() < 0) {
			throw new PoolConfigurationException("pool.effective-spindles", properties.getEffectiveSpindles(),
					"a whole number, 0 or more", "Set pool.effective-spindles to the number of disks, usually 1.");
		}
		if (properties.getInstances() < 1) {
			throw new PoolConfigurationException("pool.instances", properties.getInstances(),
					"a whole number, 1 or more",
					"Set pool.instances to how many replicas of the application share the database.");
		}
		if (properties.getReservedConnections() < 0) {
			throw new PoolConfigurationException("pool.reserved-connections", properties.getReservedConnections(),
					"a whole number, 0 or more",
					"Set pool.reserved-connections to the server connections to keep free for admin tools (default 10).");
		}
	}

	private static Setting<Integer> explicitSize(PoolProperties properties, int cores) {
		String size = properties.getSize();
		if (size == null) {
			return null;
		}
		String trimmed = size.trim();
		int auto = cores * 2 + properties.getEffectiveSpindles();
		if (trimmed.equalsIgnoreCase("auto")) {
			return new Setting<>(auto, Setting.PROPERTY, "pool.size");
		}
		try {
			return Setting.property("pool.size", Integer.parseInt(trimmed));
		}
		catch (NumberFormatException ex) {
			throw new PoolConfigurationException("pool.size", size,
					"a whole number of connections (0 or more) or 'auto'",
					"Set pool.size to a number such as 10, or to 'auto' (cores x 2 + pool.effective-spindles = " + auto
							+ " on this machine).");
		}
	}

	private static Setting<Duration> duration(String key, Duration value) {
		return (value != null) ? Setting.property(key, value) : null;
	}

	private static Duration millis(Long millis) {
		return (millis != null) ? Duration.ofMillis(millis) : null;
	}

	/**
	 * Choose among the user's {@code pool.*} value, the user's Hikari value and the
	 * fallback: an explicit Hikari key wins over the fallback, and two explicit keys must
	 * agree.
	 */
	private static <T> Setting<T> pick(Setting<T> pool, String hikariKey, T hikariValue, Setting<T> fallback,
			Function<T, String> format) {
		if (hikariValue == null) {
			return (pool != null) ? pool : fallback;
		}
		if (pool != null && !Objects.equals(pool.value(), hikariValue)) {
			throw conflict(pool.key(), format.apply(pool.value()), hikariKey, format.apply(hikariValue));
		}
		return new Setting<>(hikariValue, Setting.HIKARI, hikariKey);
	}

	private static PoolConfigurationException conflict(String poolKey, String poolValue, String hikariKey,
			String hikariValue) {
		return new PoolConfigurationException(poolKey + " and " + hikariKey,
				poolKey + "=" + poolValue + ", " + hikariKey + "=" + hikariValue,
				"one value: both keys set the same HikariCP setting",
				"Remove one of " + poolKey + " and " + hikariKey + ", or give both the same value.");
	}

	private void validate() {
		if (this.size.value() < 0) {
			throw invalid(this.size, "a whole number of connections, 0 or more, or 'auto'",
					"Set %s to 0 (open connections only on demand) or more.");
		}
		if (this.overflow.value() < 0) {
			throw invalid(this.overflow, "a whole number of connections, 0 or more",
					"Set %s to 0 (never more than pool.size connections) or more.");
		}
		if (maximum() < 1) {
			throw invalid(this.size, "a size of 1 or more when pool.overflow is 0 (the pool needs one connection)",
					"Set pool.size to 1 or more, or give pool.overflow connections to open on demand.");
		}
		if (this.overflowIdleTimeout.value().compareTo(MIN_OVERFLOW_IDLE_TIMEOUT) < 0) {
			throw invalid(this.overflowIdleTimeout, "10s or more (HikariCP's floor)",
					"Set %s to 10s or more, e.g. 30s.");
		}
		if (this.recycle.value().compareTo(MIN_RECYCLE) < 0) {
			throw invalid(this.recycle, "30s or more (HikariCP's floor)",
					"Set %s to 30s or more, and below the server's idle timeout (e.g. 10m).");
		}
		if (this.overflow.value() > 0
				&& this.overflowIdleTimeout.value().plusSeconds(1).compareTo(this.recycle.value()) > 0) {
			throw invalid(this.overflowIdleTimeout,
					"at least 1s below pool.recycle (" + Durations.format(this.recycle.value())
							+ "): an idle overflow connection must be closed before it is recycled, or HikariCP "
							+ "turns the idle timeout off",
					"Set %s below pool.recycle, or raise pool.recycle.");
		}
		if (this.acquireTimeout.value().compareTo(MIN_ACQUIRE_TIMEOUT) < 0) {
			throw invalid(this.acquireTimeout, "250ms or more (HikariCP's floor)", "Set %s to 250ms or more, e.g. 5s.");
		}
		if (this.maxWaiting.value() != null && this.maxWaiting.value() < 0) {
			throw invalid(this.maxWaiting,
					"a whole number of callers, 0 or more (0: fail at once when every connection " + "is in use)",
					"Set %s to how many callers may wait for a connection, e.g. 20, or remove it to let "
							+ "every caller wait up to pool.acquire-timeout.");
		}
		Duration leak = this.leakDetectionThreshold.value();
		if (!leak.isZero()
				&& (leak.compareTo(MIN_LEAK_DETECTION_THRESHOLD) < 0 || leak.compareTo(this.recycle.value()) >= 0)) {
			throw invalid(this.leakDetectionThreshold,
					"0 (off), or from 2s up to below pool.recycle (" + Durations.format(this.recycle.value()) + ")",
					"Set %s to 0 to turn leak detection off, or to a hold time such as 30s.");
		}
	}

	private static PoolConfigurationException invalid(Setting<?> setting, String allowed, String action) {
		Object value = (setting.value() instanceof Duration duration) ? Durations.format(duration) : setting.value();
		String where = setting.key().startsWith("pool.") ? "" : " (read from " + setting.key() + ")";
		return new PoolConfigurationException(setting.key(), value, allowed + where,
				String.format(action, setting.key()));
	}

	/**
	 * Describe the settings in one line, for the start-up log.
	 * @return a summary without any credential
	 */
	String summary() {
		return String.format(Locale.ROOT,
				"size=%d overflow=%d (max %d) recycle=%s acquire-timeout=%s overflow-idle-timeout=%s pre-ping=%s%s profile=%s",
				this.size.value(), this.overflow.value(), maximum(), Durations.format(this.recycle.value()),
				Durations.format(this.acquireTimeout.value()), Durations.format(this.overflowIdleTimeout.value()),
				this.prePing.value() ? "on" : "off",
				(this.maxWaiting.value() != null) ? " max-waiting=" + this.maxWaiting.value() : "", this.profile.id());
	}

}
