package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import com.zaxxer.hikari.HikariConfig;
import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.JdbcPoolState;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.PrePingCheck;
import org.jspecify.annotations.Nullable;

/**
 * One key of the JDBC pool, and everything the starter knows about it: the {@code pool.*}
 * property and how to read it from the bound properties, the
 * {@code spring.datasource.hikari.*} key that overlaps it, the HikariCP setting it
 * becomes, the profile's value (or the default), and the rules for a bad value with their
 * "what is allowed" text. Resolution ({@link JdbcPoolSettings#resolve}), the mapping onto
 * HikariCP ({@link HikariConfigMapping}), the description of a running pool
 * ({@link EffectiveSettings}), a config refresh ({@link JdbcPoolRefresher},
 * {@link RestartOnlyKeys}) and the bad-value messages all come from the rows of
 * {@link #ALL}: adding a key is one row here, plus its field (and metadata description)
 * in {@link JdbcPoolSettingsProperties}.
 * <p>
 * Each row is a small class of its own that overrides what differs from the defaults,
 * rather than a chain of lambdas: every lambda is a class the JVM spins when the table is
 * first read, at every application's start-up.
 *
 * @param <T> the type of the key's value
 */
abstract class JdbcPoolKey<T> {

	/** Callers allowed to wait per connection when virtual threads are on. */
	static final int VIRTUAL_THREADS_WAITING_PER_CONNECTION = 10;

	/** Source of a default that applies because virtual threads are on. */
	static final String VIRTUAL_THREADS = "default (virtual threads)";

	/** Connections kept open: HikariCP's {@code minimumIdle}. */
	static final JdbcPoolKey<Integer> SIZE = new JdbcPoolKey<>("size", Integer.class, "minimum-idle") {

		@Override
		@Nullable Integer own(JdbcPoolSettingsProperties properties, Context context) {
			return size(properties.getSize(), context);
		}

		@Override
		Setting<Integer> fallback(PoolProfile profile, Values values, Context context) {
			return profile(profile, values, profile.size());
		}

		@Override
		Integer read(HikariConfig hikari) {
			return JdbcPoolState.sizeOf(hikari);
		}

		@Override
		void write(HikariConfig hikari, Integer size) {
			hikari.setMinimumIdle(size);
		}

		@Override
		void check(Integer size, Values values) {
			if (size < 0) {
				throw invalid(values, "a whole number of connections, 0 or more, or 'auto'",
						"Set %s to 0 (open connections only on demand) or more.");
			}
		}

		@Override
		void checkAcross(Integer size, Values values) {
			if (size + values.value(OVERFLOW) < 1) {
				throw invalid(values,
						"a size of 1 or more when " + values.name(OVERFLOW) + " is 0 (the pool needs one connection)",
						"Set %s to 1 or more, or give " + values.name(OVERFLOW) + " connections to open on demand.");
			}
		}

	};

	/**
	 * Extra connections under bursts: HikariCP's {@code maximumPoolSize} less the size.
	 * {@code spring.datasource.hikari.maximum-pool-size} covers both keys: it sets the
	 * overflow, and lowers a size that is not set explicitly to fit under it.
	 */
	static final JdbcPoolKey<Integer> OVERFLOW = new JdbcPoolKey<>("overflow", Integer.class, "maximum-pool-size") {

		@Override
		@Nullable Integer own(JdbcPoolSettingsProperties properties, Context context) {
			return properties.getOverflow();
		}

		@Override
		Integer fromHikari(Object maximumPoolSize, Values values) {
			return overflowFromMaximum((Integer) maximumPoolSize, values);
		}

		@Override
		Setting<Integer> fallback(PoolProfile profile, Values values, Context context) {
			return profile(profile, values, profile.overflow());
		}

		@Override
		Integer read(HikariConfig hikari) {
			return JdbcPoolState.maximumOf(hikari) - JdbcPoolState.sizeOf(hikari);
		}

		@Override
		void write(HikariConfig hikari, Integer overflow) {
			hikari.setMaximumPoolSize(keptSoFar(hikari) + overflow);
		}

		@Override
		void check(Integer overflow, Values values) {
			if (overflow < 0) {
				throw invalid(values, "a whole number of connections, 0 or more",
						"Set %s to 0 (never more than " + values.name(SIZE) + " connections) or more.");
			}
		}

	};

	/** How long an idle overflow connection lives: HikariCP's {@code idleTimeout}. */
	static final JdbcPoolKey<Duration> OVERFLOW_IDLE_TIMEOUT = new Millis("overflow-idle-timeout", "idle-timeout",
			Duration.ofSeconds(10), "Set %s to 10s or more, e.g. 30s.") {

		@Override
		@Nullable Duration own(JdbcPoolSettingsProperties properties, Context context) {
			return properties.getOverflowIdleTimeout();
		}

		@Override
		Setting<Duration> fallback(PoolProfile profile, Values values, Context context) {
			return profile(profile, values, profile.overflowIdleTimeout());
		}

		@Override
		long millis(HikariConfig hikari) {
			return hikari.getIdleTimeout();
		}

		@Override
		void millis(HikariConfig hikari, long idleTimeout) {
			hikari.setIdleTimeout(idleTimeout);
		}

		@Override
		void checkAcross(Duration idleTimeout, Values values) {
			Duration recycle = values.value(RECYCLE);
			if (values.value(OVERFLOW) > 0 && idleTimeout.plusSeconds(1).compareTo(recycle) > 0) {
				throw invalid(values,
						"at least 1s below " + values.name(RECYCLE) + " (" + Durations.format(recycle)
								+ "): an idle overflow connection must be closed before it is recycled, "
								+ "or HikariCP turns the idle timeout off",
						"Set %s below " + values.name(RECYCLE) + ", or raise " + values.name(RECYCLE) + ".");
			}
		}

	};

	/** The age at which a connection is replaced: HikariCP's {@code maxLifetime}. */
	static final JdbcPoolKey<Duration> RECYCLE = new Millis("recycle", "max-lifetime", Duration.ofSeconds(30),
			"Set %s to 30s or more, and below the server's idle timeout (e.g. 10m).") {

		@Override
		@Nullable Duration own(JdbcPoolSettingsProperties properties, Context context) {
			return properties.getRecycle();
		}

		@Override
		Setting<Duration> fallback(PoolProfile profile, Values values, Context context) {
			return profile(profile, values, profile.recycle());
		}

		@Override
		long millis(HikariConfig hikari) {
			return hikari.getMaxLifetime();
		}

		@Override
		void millis(HikariConfig hikari, long maxLifetime) {
			hikari.setMaxLifetime(maxLifetime);
		}

	};

	/** Whether every borrow checks the connection: the starter's own pool only. */
	static final JdbcPoolKey<Boolean> PRE_PING = new JdbcPoolKey<>("pre-ping", Boolean.class, null) {

		@Override
		@Nullable Boolean own(JdbcPoolSettingsProperties properties, Context context) {
			return properties.getPrePing();
		}

		@Override
		Setting<Boolean> fallback(PoolProfile profile, Values values, Context context) {
			return byDefault(values, true);
		}

		@Override
		Boolean read(HikariConfig hikari) {
			return hikari instanceof ManagedHikariDataSource managed && managed.isStrictPrePing();
		}

		@Override
		void write(HikariConfig hikari, Boolean prePing) {
			((ManagedHikariDataSource) hikari).setStrictPrePing(prePing);
		}

		@Override
		boolean isManagedOnly() {
			return true;
		}

		@Override
		boolean isLive() {
			return false;
		}

	};

	/** How pre-ping checks a connection: the starter's own pool only. */
	static final JdbcPoolKey<PrePingCheck> PRE_PING_CHECK = new JdbcPoolKey<>("pre-ping-check", PrePingCheck.class,
			null) {

		@Override
		@Nullable PrePingCheck own(JdbcPoolSettingsProperties properties, Context context) {
			return (properties instanceof PoolProperties pool) ? pool.getPrePingCheck() : null;
		}

		@Override
		Setting<PrePingCheck> fallback(PoolProfile profile, Values values, Context context) {
			return byDefault(values, PrePingCheck.AUTO);
		}

		@Override
		@Nullable PrePingCheck read(HikariConfig hikari) {
			return (hikari instanceof ManagedHikariDataSource managed) ? managed.getPrePingCheckMode() : null;
		}

		@Override
		void write(HikariConfig hikari, PrePingCheck check) {
			((ManagedHikariDataSource) hikari).setPrePingCheck(check);
		}

		@Override
		boolean isManagedOnly() {
			return true;
		}

		@Override
		boolean isLive() {
			return false;
		}

		@Override
		boolean isPerDataSource() {
			return false;
		}

		@Override
		boolean isDescribed() {
			return false;
		}

	};

	/** How long a caller waits for a connection: HikariCP's {@code connectionTimeout}. */
	static final JdbcPoolKey<Duration> ACQUIRE_TIMEOUT = new Millis("acquire-timeout", "connection-timeout",
			Duration.ofMillis(250), "Set %s to 250ms or more, e.g. 5s.") {

		@Override
		@Nullable Duration own(JdbcPoolSettingsProperties properties, Context context) {
			return properties.getAcquireTimeout();
		}

		@Override
		Setting<Duration> fallback(PoolProfile profile, Values values, Context context) {
			return profile(profile, values, profile.acquireTimeout());
		}

		@Override
		long millis(HikariConfig hikari) {
			return hikari.getConnectionTimeout();
		}

		@Override
		void millis(HikariConfig hikari, long connectionTimeout) {
			hikari.setConnectionTimeout(connectionTimeout);
		}

	};

	/**
	 * Hold time logged as a leak, zero when off: HikariCP's
	 * {@code leakDetectionThreshold}.
	 */
	static final JdbcPoolKey<Duration> LEAK_DETECTION_THRESHOLD = new Millis("leak-detection-threshold",
			"leak-detection-threshold", Duration.ZERO, null) {

		@Override
		@Nullable Duration own(JdbcPoolSettingsProperties properties, Context context) {
			return properties.getLeakDetectionThreshold();
		}

		@Override
		Setting<Duration> fallback(PoolProfile profile, Values values, Context context) {
			return byDefault(values, Duration.ZERO);
		}

		@Override
		long millis(HikariConfig hikari) {
			return hikari.getLeakDetectionThreshold();
		}

		@Override
		void millis(HikariConfig hikari, long leakDetectionThreshold) {
			hikari.setLeakDetectionThreshold(leakDetectionThreshold);
		}

		@Override
		void checkAcross(Duration leak, Values values) {
			Duration recycle = values.value(RECYCLE);
			if (!leak.isZero() && (leak.compareTo(Duration.ofSeconds(2)) < 0 || leak.compareTo(recycle) >= 0)) {
				throw invalid(
						values, "0 (off), or from 2s up to below " + values.name(RECYCLE) + " ("
								+ Durations.format(recycle) + ")",
						"Set %s to 0 to turn leak detection off, or to a hold time such as 30s.");
			}
		}

	};

	/**
	 * How many callers may wait for a connection, null when unlimited: the starter's own
	 * pool only. Under virtual threads it defaults to 10 callers per connection of the
	 * pool's maximum.
	 */
	static final JdbcPoolKey<Integer> MAX_WAITING = new JdbcPoolKey<>("max-waiting", Integer.class, null) {

		@Override
		@Nullable Integer own(JdbcPoolSettingsProperties properties, Context context) {
			return properties.getMaxWaiting();
		}

		@Override
		Setting<Integer> fallback(PoolProfile profile, Values values, Context context) {
			if (!context.virtualThreads()) {
				return new Setting<>(null, Setting.DEFAULT, values.name(this));
			}
			int maximum = values.value(SIZE) + values.value(OVERFLOW);
			return new Setting<>(VIRTUAL_THREADS_WAITING_PER_CONNECTION * maximum, VIRTUAL_THREADS, values.name(this));
		}

		@Override
		@Nullable Integer read(HikariConfig hikari) {
			return (hikari instanceof ManagedHikariDataSource managed && managed.getMaxWaiting() >= 0)
					? managed.getMaxWaiting() : null;
		}

		@Override
		void write(HikariConfig hikari, @Nullable Integer waiting) {
			((ManagedHikariDataSource) hikari).setMaxWaiting((waiting != null) ? waiting : -1);
		}

		@Override
		void check(@Nullable Integer waiting, Values values) {
			if (waiting != null && waiting < 0) {
				throw invalid(values,
						"a whole number of callers, 0 or more (0: fail at once when every connection is in use)",
						"Set %s to how many callers may wait for a connection, e.g. 20, or remove it to let "
								+ "every caller wait up to " + values.name(ACQUIRE_TIMEOUT) + ".");
			}
		}

		@Override
		boolean isManagedOnly() {
			return true;
		}

	};

	/** Every key, in the order they are resolved, applied and described. */
	static final List<JdbcPoolKey<?>> ALL = List.of(SIZE, OVERFLOW, OVERFLOW_IDLE_TIMEOUT, RECYCLE, PRE_PING,
			PRE_PING_CHECK, ACQUIRE_TIMEOUT, LEAK_DETECTION_THRESHOLD, MAX_WAITING);

	private final String name;

	private final Class<T> type;

	private final @Nullable String hikariKey;

	/**
	 * Create a row.
	 * @param name the key without its prefix
	 * @param type the type of its value
	 * @param hikariKey the {@code spring.datasource.hikari.*} key (without its prefix)
	 * that sets the same HikariCP setting, or null when none does
	 */
	JdbcPoolKey(String name, Class<T> type, @Nullable String hikariKey) {
		this.name = name;
		this.type = type;
		this.hikariKey = hikariKey;
	}

	/**
	 * The key's value from the bound properties.
	 * @param properties the bound keys of the pool
	 * @param context what the resolution runs with
	 * @return the value, or null when the key is not set
	 */
	abstract @Nullable T own(JdbcPoolSettingsProperties properties, Context context);

	/**
	 * The key's value when no key sets it: the profile's, or a default.
	 * @param profile the profile in effect
	 * @param values the keys resolved before this one
	 * @param context what the resolution runs with
	 * @return the setting
	 */
	abstract Setting<T> fallback(PoolProfile profile, Values values, Context context);

	/**
	 * The value a pool's configuration holds for the key, the way HikariCP reads it when
	 * it starts.
	 * @param hikari the pool's configuration
	 * @return the value
	 */
	abstract @Nullable T read(HikariConfig hikari);

	/**
	 * Set the value on a pool's configuration (a {@link ManagedHikariDataSource} when the
	 * key {@link #isManagedOnly() is the starter's own}).
	 * @param hikari the pool's configuration
	 * @param value the value
	 */
	abstract void write(HikariConfig hikari, T value);

	/**
	 * Check the key's own rules.
	 * @param value the key's value
	 * @param values the resolved keys
	 * @throws PoolConfigurationException from {@link #invalid} when a rule fails
	 */
	void check(T value, Values values) {
	}

	/**
	 * Check the key's rules against other keys, once every key passed its own.
	 * @param value the key's value
	 * @param values the resolved keys
	 * @throws PoolConfigurationException from {@link #invalid} when a rule fails
	 */
	void checkAcross(T value, Values values) {
	}

	/**
	 * The key's value from the overlapping Hikari key's bound value.
	 * @param user the bound value
	 * @param values the keys resolved before this one
	 * @return the value
	 */
	T fromHikari(Object user, Values values) {
		return this.type.cast(user);
	}

	/**
	 * The overlapping Hikari key's bound value as a message shows it.
	 * @param user the bound value
	 * @return the value to show
	 */
	Object showHikari(Object user) {
		return user;
	}

	/**
	 * The type Spring Boot binds the overlapping Hikari key to.
	 * @return the bound type, or null when no Hikari key overlaps
	 */
	@Nullable Class<?> hikariType() {
		return (this.hikariKey != null) ? this.type : null;
	}

	/**
	 * The key without its prefix, as under {@code pool.} and
	 * {@code pool.datasources.<name>.}.
	 * @return the key's name
	 */
	String name() {
		return this.name;
	}

	/**
	 * The overlapping {@code spring.datasource.hikari.*} key, without its prefix.
	 * @return the Hikari key, or null when none overlaps
	 */
	@Nullable String hikariKey() {
		return this.hikariKey;
	}

	/**
	 * Whether a running pool takes a new value (HikariCP's {@code HikariConfigMXBean}, or
	 * the starter's own waiting room); the others need a restart.
	 * @return whether the key is applied on a config refresh
	 */
	boolean isLive() {
		return true;
	}

	/**
	 * Whether {@code pool.datasources.<name>.*} takes the key.
	 * @return whether the key applies to a DataSource of the application's own
	 */
	boolean isPerDataSource() {
		return true;
	}

	/**
	 * Whether the {@code pools} endpoint shows the key.
	 * @return whether the key is described
	 */
	boolean isDescribed() {
		return true;
	}

	/**
	 * Whether only the starter's own pool class has the setting.
	 * @return whether the key applies to a {@link ManagedHikariDataSource} only
	 */
	boolean isManagedOnly() {
		return false;
	}

	/**
	 * Resolve the key: the {@code pool.*} value, or an explicit Hikari key (which must
	 * agree with it when both are set), or the profile's value or the default.
	 * @param properties the bound keys
	 * @param profile the profile in effect
	 * @param hikari the {@code spring.datasource.hikari.*} keys the user set
	 * @param values the keys resolved before this one
	 * @param context what the resolution runs with
	 * @return the setting, never null
	 */
	Setting<T> resolve(JdbcPoolSettingsProperties properties, PoolProfile profile, HikariKeys hikari, Values values,
			Context context) {
		T own = own(properties, context);
		Setting<T> pool = (own != null) ? Setting.property(values.name(this), own) : null;
		Object user = (this.hikariKey != null) ? hikari.get(this.hikariKey) : null;
		if (user == null) {
			return (pool != null) ? pool : fallback(profile, values, context);
		}
		String hikariName = HikariKeys.PREFIX + this.hikariKey;
		T value = fromHikari(user, values);
		if (pool != null && !Objects.equals(pool.value(), value)) {
			throw conflict(pool.key(), format(pool.value()), hikariName, String.valueOf(showHikari(user)));
		}
		return new Setting<>(value, Setting.HIKARI, hikariName);
	}

	/**
	 * Check the key's own rules, or its rules against other keys.
	 * @param values the resolved keys
	 * @param across whether to check the rules against other keys
	 * @throws PoolConfigurationException naming the key, the value and what is allowed
	 */
	void validate(Values values, boolean across) {
		T value = values.value(this);
		if (across) {
			checkAcross(value, values);
		}
		else {
			check(value, values);
		}
	}

	/**
	 * Set the value on a pool's configuration, if the pool has the setting.
	 * @param setting the setting, null when it is not applied
	 * @param hikari the pool's configuration
	 */
	void apply(@Nullable Setting<?> setting, HikariConfig hikari) {
		if (setting != null && (!isManagedOnly() || hikari instanceof ManagedHikariDataSource)) {
			write(hikari, this.type.cast(setting.value()));
		}
	}

	String format(@Nullable Object value) {
		return (value instanceof Duration duration) ? Durations.format(duration) : String.valueOf(value);
	}

	@Override
	public String toString() {
		return "pool." + this.name;
	}

	/**
	 * The failure of one of the key's rules: the key the value was read from (an
	 * overlapping {@code spring.datasource.hikari.*} key gets the {@code pool.*} key's
	 * rules, and says so), the value, what is allowed and what to do.
	 * @param values the resolved keys
	 * @param allowed what is allowed
	 * @param action what to do, {@code %s} standing for the key
	 * @return the exception to throw
	 */
	PoolConfigurationException invalid(Values values, String allowed, String action) {
		Setting<T> setting = values.setting(this);
		String where = setting.key().startsWith("pool.") ? "" : " (as for " + values.name(this) + ")";
		return new PoolConfigurationException(setting.key(), format(setting.value()), allowed + where,
				String.format(action, setting.key()));
	}

	/**
	 * The profile's value of the key.
	 * @param profile the profile in effect
	 * @param values the keys resolved so far
	 * @param value the profile's value
	 * @return the setting
	 */
	Setting<T> profile(PoolProfile profile, Values values, T value) {
		return Setting.profile(profile.id(), values.name(this), value);
	}

	/**
	 * The key's default.
	 * @param values the keys resolved so far
	 * @param value the default
	 * @return the setting
	 */
	Setting<T> byDefault(Values values, T value) {
		return new Setting<>(value, Setting.DEFAULT, values.name(this));
	}

	private static PoolConfigurationException conflict(String poolKey, String poolValue, String hikariKey,
			String hikariValue) {
		return new PoolConfigurationException(poolKey + " and " + hikariKey,
				poolKey + "=" + poolValue + ", " + hikariKey + "=" + hikariValue,
				"one value: both keys set the same HikariCP setting",
				"Remove one of " + poolKey + " and " + hikariKey + ", or give both the same value.");
	}

	private static @Nullable Integer size(@Nullable String size, Context context) {
		if (size == null) {
			return null;
		}
		String trimmed = size.trim();
		int auto = context.cores() * 2 + context.effectiveSpindles();
		if (trimmed.equalsIgnoreCase("auto")) {
			return auto;
		}
		try {
			return Integer.parseInt(trimmed);
		}
		catch (NumberFormatException ex) {
			String key = context.prefix() + "size";
			throw new PoolConfigurationException(key, size, "a whole number of connections (0 or more) or 'auto'",
					"Set " + key + " to a number such as 10, or to 'auto' (cores x 2 + pool.effective-spindles = "
							+ auto + " on this machine).");
		}
	}

	/**
	 * The overflow that {@code spring.datasource.hikari.maximum-pool-size} leaves over
	 * the size; a maximum below a size the user did not set lowers the size to it.
	 */
	private static Integer overflowFromMaximum(int maximum, Values values) {
		Setting<Integer> size = values.setting(SIZE);
		if (maximum < size.value()) {
			if (size.isExplicit()) {
				throw conflict(size.key(), String.valueOf(size.value()), HikariKeys.PREFIX + "maximum-pool-size",
						maximum + " (below the size)");
			}
			values.put(SIZE, new Setting<>(maximum, Setting.HIKARI, HikariKeys.PREFIX + "maximum-pool-size"));
		}
		return maximum - values.value(SIZE);
	}

	/**
	 * Connections the pool keeps while the keys are applied: HikariCP's minimumIdle, or
	 * its maximum while minimumIdle is not set (-1).
	 */
	private static int keptSoFar(HikariConfig hikari) {
		int minimumIdle = hikari.getMinimumIdle();
		return (minimumIdle >= 0) ? minimumIdle : hikari.getMaximumPoolSize();
	}

	/**
	 * A duration key whose HikariCP setting, and {@code spring.datasource.hikari.*} key,
	 * hold milliseconds.
	 */
	private abstract static class Millis extends JdbcPoolKey<Duration> {

		private final Duration floor;

		private final @Nullable String belowFloor;

		/**
		 * Create a row.
		 * @param name the key without its prefix
		 * @param hikariKey the {@code spring.datasource.hikari.*} key
		 * @param floor the least value HikariCP takes
		 * @param belowFloor what to do about a value below the floor ({@code %s} standing
		 * for the key), or null when the floor is zero
		 */
		Millis(String name, String hikariKey, Duration floor, @Nullable String belowFloor) {
			super(name, Duration.class, hikariKey);
			this.floor = floor;
			this.belowFloor = belowFloor;
		}

		@Override
		void check(Duration value, Values values) {
			if (this.belowFloor != null && value.compareTo(this.floor) < 0) {
				throw invalid(values, Durations.format(this.floor) + " or more (HikariCP's floor)", this.belowFloor);
			}
		}

		/**
		 * The pool's setting.
		 * @param hikari the pool's configuration
		 * @return the setting in milliseconds
		 */
		abstract long millis(HikariConfig hikari);

		/**
		 * Set the pool's setting.
		 * @param hikari the pool's configuration
		 * @param millis the setting in milliseconds
		 */
		abstract void millis(HikariConfig hikari, long millis);

		@Override
		Duration read(HikariConfig hikari) {
			return Duration.ofMillis(millis(hikari));
		}

		@Override
		void write(HikariConfig hikari, Duration value) {
			millis(hikari, value.toMillis());
		}

		@Override
		Duration fromHikari(Object user, Values values) {
			return Duration.ofMillis((Long) user);
		}

		@Override
		Object showHikari(Object user) {
			return Durations.format(Duration.ofMillis((Long) user));
		}

		@Override
		Class<?> hikariType() {
			return Long.class;
		}

	}

	/**
	 * What a resolution runs with.
	 *
	 * @param prefix the keys' prefix: {@code pool.} or {@code pool.datasources.<name>.}
	 * @param cores the processors available, for {@code size: auto}
	 * @param effectiveSpindles {@code pool.effective-spindles}, for {@code size: auto}
	 * @param virtualThreads whether the application runs on virtual threads
	 */
	record Context(String prefix, int cores, int effectiveSpindles, boolean virtualThreads) {
	}

	/**
	 * The keys resolved so far, by row, and the names they go by.
	 */
	interface Values {

		<V> Setting<V> setting(JdbcPoolKey<V> key);

		<V> void put(JdbcPoolKey<V> key, Setting<V> setting);

		/**
		 * The full name of a key, with the prefix of the pool being resolved.
		 * @param key the row
		 * @return the key, e.g. {@code pool.recycle}
		 */
		String name(JdbcPoolKey<?> key);

		default <V> V value(JdbcPoolKey<V> key) {
			return setting(key).value();
		}

	}

}
