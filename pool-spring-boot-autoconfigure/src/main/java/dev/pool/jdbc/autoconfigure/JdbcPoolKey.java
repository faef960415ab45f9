package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

import com.zaxxer.hikari.HikariConfig;
import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.JdbcPoolState;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.PrePingCheck;

/**
 * One key of the JDBC pool, and everything the starter knows about it: the {@code pool.*}
 * property and how to read it from the bound properties, the
 * {@code spring.datasource.hikari.*} key that overlaps it, the HikariCP setting it
 * becomes, the profile's value (or the default), and the rule for a bad value with its
 * "what is allowed" text. Resolution ({@link JdbcPoolSettings#resolve}), the mapping onto
 * HikariCP ({@link HikariConfigMapping}), the description of a running pool
 * ({@link EffectiveSettings}), a config refresh ({@link JdbcPoolRefresher},
 * {@link RestartOnlyKeys}) and the bad-value messages all come from the rows of
 * {@link #ALL}: adding a key is one row here, plus its field (and metadata description)
 * in {@link JdbcPoolSettingsProperties}.
 *
 * @param <T> the type of the key's value
 */
final class JdbcPoolKey<T> {

	/** Callers allowed to wait per connection when virtual threads are on. */
	static final int VIRTUAL_THREADS_WAITING_PER_CONNECTION = 10;

	/** Source of a default that applies because virtual threads are on. */
	static final String VIRTUAL_THREADS = "default (virtual threads)";

	// @formatter:off
	/** Connections kept open: HikariCP's {@code minimumIdle}. */
	static final JdbcPoolKey<Integer> SIZE = key("size", Integer.class, JdbcPoolKey::size)
		.hikari("minimum-idle", Integer.class, HikariConfig::setMinimumIdle, JdbcPoolState::sizeOf)
		.fromProfile(PoolProfile::size)
		.rule((size, values) -> size >= 0, (values) -> "a whole number of connections, 0 or more, or 'auto'",
				(values) -> "Set %s to 0 (open connections only on demand) or more.")
		.crossRule((size, values) -> size + values.value(JdbcPoolKey.OVERFLOW) >= 1,
				(values) -> "a size of 1 or more when " + values.name(JdbcPoolKey.OVERFLOW)
						+ " is 0 (the pool needs one connection)",
				(values) -> "Set " + values.name(JdbcPoolKey.SIZE) + " to 1 or more, or give "
						+ values.name(JdbcPoolKey.OVERFLOW) + " connections to open on demand.")
		.live();

	/**
	 * Extra connections under bursts: HikariCP's {@code maximumPoolSize} less the size.
	 * {@code spring.datasource.hikari.maximum-pool-size} covers both keys: it sets the
	 * overflow, and lowers a size that is not set explicitly to fit under it.
	 */
	static final JdbcPoolKey<Integer> OVERFLOW = key("overflow", Integer.class, JdbcPoolSettingsProperties::getOverflow)
		.hikari("maximum-pool-size", Integer.class, JdbcPoolKey::overflowFromMaximum,
				(hikari, overflow) -> hikari.setMaximumPoolSize(keptSoFar(hikari) + overflow),
				(hikari) -> JdbcPoolState.maximumOf(hikari) - JdbcPoolState.sizeOf(hikari))
		.fromProfile(PoolProfile::overflow)
		.rule((overflow, values) -> overflow >= 0, (values) -> "a whole number of connections, 0 or more",
				(values) -> "Set %s to 0 (never more than " + values.name(JdbcPoolKey.SIZE)
						+ " connections) or more.")
		.live();

	/** How long an idle overflow connection lives: HikariCP's {@code idleTimeout}. */
	static final JdbcPoolKey<Duration> OVERFLOW_IDLE_TIMEOUT = key("overflow-idle-timeout", Duration.class,
			JdbcPoolSettingsProperties::getOverflowIdleTimeout)
		.millis("idle-timeout", HikariConfig::getIdleTimeout, HikariConfig::setIdleTimeout)
		.fromProfile(PoolProfile::overflowIdleTimeout)
		.rule(atLeast(Duration.ofSeconds(10)), (values) -> "10s or more (HikariCP's floor)",
				(values) -> "Set %s to 10s or more, e.g. 30s.")
		.crossRule((idle, values) -> values.value(JdbcPoolKey.OVERFLOW) == 0
				|| idle.plusSeconds(1).compareTo(values.value(JdbcPoolKey.RECYCLE)) <= 0,
				(values) -> "at least 1s below " + values.name(JdbcPoolKey.RECYCLE) + " ("
						+ Durations.format(values.value(JdbcPoolKey.RECYCLE)) + "): an idle overflow connection must "
						+ "be closed before it is recycled, or HikariCP turns the idle timeout off",
				(values) -> "Set %s below " + values.name(JdbcPoolKey.RECYCLE) + ", or raise "
						+ values.name(JdbcPoolKey.RECYCLE) + ".")
		.live();

	/** The age at which a connection is replaced: HikariCP's {@code maxLifetime}. */
	static final JdbcPoolKey<Duration> RECYCLE = key("recycle", Duration.class, JdbcPoolSettingsProperties::getRecycle)
		.millis("max-lifetime", HikariConfig::getMaxLifetime, HikariConfig::setMaxLifetime)
		.fromProfile(PoolProfile::recycle)
		.rule(atLeast(Duration.ofSeconds(30)), (values) -> "30s or more (HikariCP's floor)",
				(values) -> "Set %s to 30s or more, and below the server's idle timeout (e.g. 10m).")
		.live();

	/** Whether every borrow checks the connection: the starter's own pool only. */
	static final JdbcPoolKey<Boolean> PRE_PING = key("pre-ping", Boolean.class, JdbcPoolSettingsProperties::getPrePing)
		.managed((managed, prePing) -> managed.setStrictPrePing(prePing),
				(hikari) -> hikari instanceof ManagedHikariDataSource managed && managed.isStrictPrePing())
		.byDefault(true);

	/** How pre-ping checks a connection: the starter's own pool only. */
	static final JdbcPoolKey<PrePingCheck> PRE_PING_CHECK = key("pre-ping-check", PrePingCheck.class,
			(properties, context) -> (properties instanceof PoolProperties pool) ? pool.getPrePingCheck() : null)
		.managed(ManagedHikariDataSource::setPrePingCheck,
				(hikari) -> (hikari instanceof ManagedHikariDataSource managed) ? managed.getPrePingCheckMode() : null)
		.byDefault(PrePingCheck.AUTO)
		.onlyGlobal()
		.notDescribed();

	/** How long a caller waits for a connection: HikariCP's {@code connectionTimeout}. */
	static final JdbcPoolKey<Duration> ACQUIRE_TIMEOUT = key("acquire-timeout", Duration.class,
			JdbcPoolSettingsProperties::getAcquireTimeout)
		.millis("connection-timeout", HikariConfig::getConnectionTimeout, HikariConfig::setConnectionTimeout)
		.fromProfile(PoolProfile::acquireTimeout)
		.rule(atLeast(Duration.ofMillis(250)), (values) -> "250ms or more (HikariCP's floor)",
				(values) -> "Set %s to 250ms or more, e.g. 5s.")
		.live();

	/** Hold time logged as a leak, zero when off: HikariCP's {@code leakDetectionThreshold}. */
	static final JdbcPoolKey<Duration> LEAK_DETECTION_THRESHOLD = key("leak-detection-threshold", Duration.class,
			JdbcPoolSettingsProperties::getLeakDetectionThreshold)
		.millis("leak-detection-threshold", HikariConfig::getLeakDetectionThreshold,
				HikariConfig::setLeakDetectionThreshold)
		.byDefault(Duration.ZERO)
		.crossRule((leak, values) -> leak.isZero() || (leak.compareTo(Duration.ofSeconds(2)) >= 0
				&& leak.compareTo(values.value(JdbcPoolKey.RECYCLE)) < 0),
				(values) -> "0 (off), or from 2s up to below " + values.name(JdbcPoolKey.RECYCLE) + " ("
						+ Durations.format(values.value(JdbcPoolKey.RECYCLE)) + ")",
				(values) -> "Set %s to 0 to turn leak detection off, or to a hold time such as 30s.")
		.live();

	/**
	 * How many callers may wait for a connection, null when unlimited: the starter's own
	 * pool only. Under virtual threads it defaults to 10 callers per connection of the
	 * pool's maximum.
	 */
	static final JdbcPoolKey<Integer> MAX_WAITING = key("max-waiting", Integer.class,
			JdbcPoolSettingsProperties::getMaxWaiting)
		.managed((managed, waiting) -> managed.setMaxWaiting((waiting != null) ? waiting : -1),
				(hikari) -> (hikari instanceof ManagedHikariDataSource managed && managed.getMaxWaiting() >= 0)
						? managed.getMaxWaiting() : null)
		.fallback((profile, values, context) -> context.virtualThreads()
				? new Setting<>(VIRTUAL_THREADS_WAITING_PER_CONNECTION
						* (values.value(JdbcPoolKey.SIZE) + values.value(JdbcPoolKey.OVERFLOW)), VIRTUAL_THREADS,
						values.name(JdbcPoolKey.MAX_WAITING))
				: new Setting<>(null, Setting.DEFAULT, values.name(JdbcPoolKey.MAX_WAITING)))
		.rule((waiting, values) -> waiting == null || waiting >= 0,
				(values) -> "a whole number of callers, 0 or more (0: fail at once when every connection is in use)",
				(values) -> "Set %s to how many callers may wait for a connection, e.g. 20, or remove it to let "
						+ "every caller wait up to " + values.name(JdbcPoolKey.ACQUIRE_TIMEOUT) + ".")
		.live();
	// @formatter:on

	/** Every key, in the order they are resolved, applied and described. */
	static final List<JdbcPoolKey<?>> ALL = List.of(SIZE, OVERFLOW, OVERFLOW_IDLE_TIMEOUT, RECYCLE, PRE_PING,
			PRE_PING_CHECK, ACQUIRE_TIMEOUT, LEAK_DETECTION_THRESHOLD, MAX_WAITING);

	private final String name;

	private final Class<T> type;

	private final BiFunction<JdbcPoolSettingsProperties, Context, T> read;

	private final HikariKey<T> hikariKey;

	private final Target<T> target;

	private final Fallback<T> fallback;

	private final List<Rule<T>> rules;

	private final boolean live;

	private final boolean perDataSource;

	private final boolean described;

	private JdbcPoolKey(String name, Class<T> type, BiFunction<JdbcPoolSettingsProperties, Context, T> read,
			HikariKey<T> hikariKey, Target<T> target, Fallback<T> fallback, List<Rule<T>> rules, boolean live,
			boolean perDataSource, boolean described) {
		this.name = name;
		this.type = type;
		this.read = read;
		this.hikariKey = hikariKey;
		this.target = target;
		this.fallback = fallback;
		this.rules = rules;
		this.live = live;
		this.perDataSource = perDataSource;
		this.described = described;
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
	String hikariKey() {
		return (this.hikariKey != null) ? this.hikariKey.name() : null;
	}

	/**
	 * The type Spring Boot binds the overlapping Hikari key to.
	 * @return the bound type, or null when no Hikari key overlaps
	 */
	Class<?> hikariType() {
		return (this.hikariKey != null) ? this.hikariKey.type() : null;
	}

	/**
	 * Whether a running pool takes a new value (HikariCP's {@code HikariConfigMXBean}, or
	 * the starter's own waiting room); the others need a restart.
	 * @return whether the key is applied on a config refresh
	 */
	boolean isLive() {
		return this.live;
	}

	/**
	 * Whether {@code pool.datasources.<name>.*} takes the key.
	 * @return whether the key applies to a DataSource of the application's own
	 */
	boolean isPerDataSource() {
		return this.perDataSource;
	}

	/**
	 * Whether the {@code pools} endpoint shows the key.
	 * @return whether the key is described
	 */
	boolean isDescribed() {
		return this.described;
	}

	/**
	 * Whether only the starter's own pool class has the setting.
	 * @return whether the key applies to a {@link ManagedHikariDataSource} only
	 */
	boolean isManagedOnly() {
		return this.target.managedOnly();
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
		T own = this.read.apply(properties, context);
		Setting<T> pool = (own != null) ? Setting.property(values.name(this), own) : null;
		Object user = (this.hikariKey != null) ? hikari.get(this.hikariKey.name()) : null;
		if (user == null) {
			return (pool != null) ? pool : this.fallback.apply(profile, values, context);
		}
		String hikariName = HikariKeys.PREFIX + this.hikariKey.name();
		T value = this.hikariKey.convert().apply(user, values);
		if (pool != null && !Objects.equals(pool.value(), value)) {
			throw conflict(pool.key(), format(pool.value()), hikariName,
					String.valueOf(this.hikariKey.show().apply(user)));
		}
		return new Setting<>(value, Setting.HIKARI, hikariName);
	}

	/**
	 * Check the key's single-value rules, or its rules against other keys.
	 * @param values the resolved keys
	 * @param cross whether to check the rules against other keys
	 * @throws PoolConfigurationException naming the key, the value and what is allowed
	 */
	void validate(Values values, boolean cross) {
		Setting<T> setting = values.setting(this);
		for (Rule<T> rule : this.rules) {
			if (rule.cross() == cross && !rule.valid().test(setting.value(), values)) {
				String where = setting.key().startsWith("pool.") ? "" : " (read from " + setting.key() + ")";
				throw new PoolConfigurationException(setting.key(), format(setting.value()),
						rule.allowed().apply(values) + where,
						String.format(rule.action().apply(values), setting.key()));
			}
		}
	}

	/**
	 * Set the value on a pool's configuration, if the pool has the setting.
	 * @param setting the setting, null when it is not applied
	 * @param hikari the pool's configuration
	 */
	void apply(Setting<?> setting, HikariConfig hikari) {
		if (setting != null && (!isManagedOnly() || hikari instanceof ManagedHikariDataSource)) {
			this.target.set().accept(hikari, this.type.cast(setting.value()));
		}
	}

	/**
	 * The value a pool's configuration holds for the key, the way HikariCP reads it when
	 * it starts.
	 * @param hikari the pool's configuration
	 * @return the value
	 */
	T read(HikariConfig hikari) {
		return this.target.get().apply(hikari);
	}

	String format(Object value) {
		return (value instanceof Duration duration) ? Durations.format(duration) : String.valueOf(value);
	}

	@Override
	public String toString() {
		return "pool." + this.name;
	}

	private static PoolConfigurationException conflict(String poolKey, String poolValue, String hikariKey,
			String hikariValue) {
		return new PoolConfigurationException(poolKey + " and " + hikariKey,
				poolKey + "=" + poolValue + ", " + hikariKey + "=" + hikariValue,
				"one value: both keys set the same HikariCP setting",
				"Remove one of " + poolKey + " and " + hikariKey + ", or give both the same value.");
	}

	// Reading the keys and HikariCP's settings

	private static Integer size(JdbcPoolSettingsProperties properties, Context context) {
		String size = properties.getSize();
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
	private static Integer overflowFromMaximum(Object user, Values values) {
		int maximum = (Integer) user;
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

	private static BiPredicate<Duration, Values> atLeast(Duration floor) {
		return (value, values) -> value.compareTo(floor) >= 0;
	}

	// Building the rows

	private static <T> JdbcPoolKey<T> key(String name, Class<T> type, Function<JdbcPoolSettingsProperties, T> read) {
		return key(name, type, (properties, context) -> read.apply(properties));
	}

	private static <T> JdbcPoolKey<T> key(String name, Class<T> type,
			BiFunction<JdbcPoolSettingsProperties, Context, T> read) {
		return new JdbcPoolKey<>(name, type, read, null, null, null, List.of(), false, true, true);
	}

	private JdbcPoolKey<T> hikari(String hikariKey, Class<T> boundType, BiConsumer<HikariConfig, T> set,
			Function<HikariConfig, T> get) {
		return hikari(hikariKey, boundType, (user, values) -> this.type.cast(user), set, get);
	}

	private JdbcPoolKey<T> hikari(String hikariKey, Class<?> boundType, BiFunction<Object, Values, T> convert,
			BiConsumer<HikariConfig, T> set, Function<HikariConfig, T> get) {
		return new JdbcPoolKey<>(this.name, this.type, this.read,
				new HikariKey<>(hikariKey, boundType, convert, Function.identity()), new Target<>(get, set, false),
				this.fallback, this.rules, this.live, this.perDataSource, this.described);
	}

	/**
	 * A duration that HikariCP and its {@code spring.datasource.hikari.*} key hold in ms.
	 */
	private JdbcPoolKey<T> millis(String hikariKey, Function<HikariConfig, Long> get,
			BiConsumer<HikariConfig, Long> set) {
		return new JdbcPoolKey<>(this.name, this.type, this.read,
				new HikariKey<>(hikariKey, Long.class, (user, values) -> this.type.cast(Duration.ofMillis((Long) user)),
						(user) -> Durations.format(Duration.ofMillis((Long) user))),
				new Target<>((hikari) -> this.type.cast(Duration.ofMillis(get.apply(hikari))),
						(hikari, value) -> set.accept(hikari, ((Duration) value).toMillis()), false),
				this.fallback, this.rules, this.live, this.perDataSource, this.described);
	}

	private JdbcPoolKey<T> managed(BiConsumer<ManagedHikariDataSource, T> set, Function<HikariConfig, T> get) {
		return new JdbcPoolKey<>(this.name, this.type, this.read, null,
				new Target<>(get, (hikari, value) -> set.accept((ManagedHikariDataSource) hikari, value), true),
				this.fallback, this.rules, this.live, this.perDataSource, this.described);
	}

	private JdbcPoolKey<T> fromProfile(Function<PoolProfile, T> value) {
		return fallback(
				(profile, values, context) -> Setting.profile(profile.id(), values.name(this), value.apply(profile)));
	}

	private JdbcPoolKey<T> byDefault(T value) {
		return fallback((profile, values, context) -> new Setting<>(value, Setting.DEFAULT, values.name(this)));
	}

	private JdbcPoolKey<T> fallback(Fallback<T> fallback) {
		return new JdbcPoolKey<>(this.name, this.type, this.read, this.hikariKey, this.target, fallback, this.rules,
				this.live, this.perDataSource, this.described);
	}

	private JdbcPoolKey<T> rule(BiPredicate<T, Values> valid, Function<Values, String> allowed,
			Function<Values, String> action) {
		return withRule(new Rule<>(valid, allowed, action, false));
	}

	private JdbcPoolKey<T> crossRule(BiPredicate<T, Values> valid, Function<Values, String> allowed,
			Function<Values, String> action) {
		return withRule(new Rule<>(valid, allowed, action, true));
	}

	private JdbcPoolKey<T> withRule(Rule<T> rule) {
		List<Rule<T>> rules = new ArrayList<>(this.rules);
		rules.add(rule);
		return new JdbcPoolKey<>(this.name, this.type, this.read, this.hikariKey, this.target, this.fallback,
				List.copyOf(rules), this.live, this.perDataSource, this.described);
	}

	private JdbcPoolKey<T> live() {
		return new JdbcPoolKey<>(this.name, this.type, this.read, this.hikariKey, this.target, this.fallback,
				this.rules, true, this.perDataSource, this.described);
	}

	private JdbcPoolKey<T> onlyGlobal() {
		return new JdbcPoolKey<>(this.name, this.type, this.read, this.hikariKey, this.target, this.fallback,
				this.rules, this.live, false, this.described);
	}

	private JdbcPoolKey<T> notDescribed() {
		return new JdbcPoolKey<>(this.name, this.type, this.read, this.hikariKey, this.target, this.fallback,
				this.rules, this.live, this.perDataSource, false);
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

	/**
	 * A key's value when no key sets it: the profile's, or a default.
	 */
	@FunctionalInterface
	private interface Fallback<T> {

		Setting<T> apply(PoolProfile profile, Values values, Context context);

	}

	/**
	 * The {@code spring.datasource.hikari.*} key that sets the same HikariCP setting.
	 *
	 * @param name the key without {@code spring.datasource.hikari.}
	 * @param type the type Spring Boot binds it to
	 * @param convert from the bound value to the key's value
	 * @param show the bound value as a message shows it
	 */
	private record HikariKey<T>(String name, Class<?> type, BiFunction<Object, Values, T> convert,
			Function<Object, Object> show) {
	}

	/**
	 * The setting of a pool's configuration that the key becomes.
	 *
	 * @param get the value the pool runs with
	 * @param set sets it
	 * @param managedOnly whether only {@link ManagedHikariDataSource} has it
	 */
	private record Target<T>(Function<HikariConfig, T> get, BiConsumer<HikariConfig, T> set, boolean managedOnly) {
	}

	/**
	 * A rule for a bad value.
	 *
	 * @param valid whether a value passes
	 * @param allowed what is allowed, for the failure analysis
	 * @param action what to do, {@code %s} standing for the key
	 * @param cross whether the rule reads other keys (checked once every single-key rule
	 * passed)
	 */
	private record Rule<T>(BiPredicate<T, Values> valid, Function<Values, String> allowed,
			Function<Values, String> action, boolean cross) {
	}

}
