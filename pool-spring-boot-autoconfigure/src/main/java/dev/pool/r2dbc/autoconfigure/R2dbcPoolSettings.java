package dev.pool.r2dbc.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import io.r2dbc.spi.ValidationDepth;

/**
 * The effective settings of the R2DBC pool: {@code pool.*} on top of the profile, with
 * the user's explicit {@code spring.r2dbc.pool.*} keys winning over profile values. Every
 * value carries its source. Resolving validates: a bad value throws
 * {@link PoolConfigurationException}; nothing is clamped.
 *
 * @param profile the preset's id
 * @param size connections kept open (r2dbc-pool's {@code initialSize} and
 * {@code minIdle})
 * @param overflow extra connections under bursts ({@code maxSize - size})
 * @param overflowIdleTimeout how long an idle overflow connection lives
 * ({@code maxIdleTime}, beyond {@code size} only)
 * @param recycle the age at which a connection is replaced ({@code maxLifeTime})
 * @param acquireTimeout how long a caller waits for a connection, retries included
 * ({@code maxAcquireTime})
 * @param prePing whether every borrow checks the connection with a round trip
 * ({@code validationDepth} {@code REMOTE})
 * @param validationTimeout how long that check may take ({@code maxValidationTime})
 * @param maxWaiting how many callers may wait for a connection, null when unlimited
 * ({@code maxPendingAcquire})
 */
record R2dbcPoolSettings(String profile, Setting<Integer> size, Setting<Integer> overflow,
		Setting<Duration> overflowIdleTimeout, Setting<Duration> recycle, Setting<Duration> acquireTimeout,
		Setting<Boolean> prePing, Setting<Duration> validationTimeout, Setting<Integer> maxWaiting) {

	/** Source of a value the user set under {@code spring.r2dbc.pool.*}. */
	static final String BOOT = "spring.r2dbc.pool";

	/** The longest a pre-ping may take when no key sets it, as HikariCP's default. */
	static final Duration MAX_DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(5);

	static final Duration MIN_RECYCLE = Duration.ofSeconds(30);

	static final Duration MIN_ACQUIRE_TIMEOUT = Duration.ofMillis(250);

	static final Duration MIN_OVERFLOW_IDLE_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * The most connections the pool opens: {@code size + overflow}.
	 * @return the maximum pool size
	 */
	int maximum() {
		return this.size.value() + this.overflow.value();
	}

	/**
	 * Resolve and validate the settings.
	 * @param keys the {@code pool.*} keys
	 * @param boot the {@code spring.r2dbc.pool.*} keys the user set
	 * @param cores the processors available, for {@code size: auto}
	 * @return the effective settings
	 */
	static R2dbcPoolSettings resolve(SharedPoolKeys keys, BootR2dbcKeys boot, int cores) {
		String profile = keys.profileId();
		Setting<Integer> size = pick(explicitSize(keys, cores), BootR2dbcKeys.MIN_IDLE, boot.minIdle(),
				Setting.profile(profile, "pool.size", keys.profileSize()), Object::toString);
		Setting<Integer> overflow;
		if (boot.maxSize() != null) {
			int maximum = boot.maxSize();
			if (keys.overflow() != null && size.value() + keys.overflow() != maximum) {
				throw conflict(
						"pool.overflow", size.value() + " + " + keys.overflow() + " = "
								+ (size.value() + keys.overflow()) + " connections",
						BootR2dbcKeys.MAX_SIZE, String.valueOf(maximum));
			}
			if (maximum < size.value()) {
				if (Setting.PROPERTY.equals(size.source()) || BOOT.equals(size.source())) {
					throw conflict(size.key(), String.valueOf(size.value()), BootR2dbcKeys.MAX_SIZE,
							maximum + " (below the size)");
				}
				size = new Setting<>(maximum, BOOT, BootR2dbcKeys.MAX_SIZE);
			}
			overflow = new Setting<>(maximum - size.value(), BOOT, BootR2dbcKeys.MAX_SIZE);
		}
		else {
			overflow = (keys.overflow() != null) ? Setting.property("pool.overflow", keys.overflow())
					: Setting.profile(profile, "pool.overflow", keys.profileOverflow());
		}
		Setting<Duration> acquireTimeout = pick(duration("pool.acquire-timeout", keys.acquireTimeout()),
				BootR2dbcKeys.MAX_ACQUIRE_TIME, boot.maxAcquireTime(),
				Setting.profile(profile, "pool.acquire-timeout", keys.profileAcquireTimeout()), Durations::format);
		Boolean remote = (boot.validationDepth() != null) ? boot.validationDepth() == ValidationDepth.REMOTE : null;
		Setting<Boolean> prePing = pick(
				(keys.prePing() != null) ? Setting.property("pool.pre-ping", keys.prePing()) : null,
				BootR2dbcKeys.VALIDATION_DEPTH, remote, new Setting<>(true, Setting.DEFAULT, "pool.pre-ping"),
				(value) -> value ? "true (REMOTE)" : "false (LOCAL)");
		R2dbcPoolSettings settings = new R2dbcPoolSettings(profile, size, overflow,
				pick(duration("pool.overflow-idle-timeout", keys.overflowIdleTimeout()), BootR2dbcKeys.MAX_IDLE_TIME,
						boot.maxIdleTime(),
						Setting.profile(profile, "pool.overflow-idle-timeout", keys.profileOverflowIdleTimeout()),
						Durations::format),
				pick(duration("pool.recycle", keys.recycle()), BootR2dbcKeys.MAX_LIFE_TIME, boot.maxLifeTime(),
						Setting.profile(profile, "pool.recycle", keys.profileRecycle()), Durations::format),
				acquireTimeout, prePing, validationTimeout(boot, acquireTimeout),
				(keys.maxWaiting() != null) ? Setting.property("pool.max-waiting", keys.maxWaiting())
						: new Setting<>(null, Setting.DEFAULT, "pool.max-waiting"));
		settings.validate();
		return settings;
	}

	/**
	 * Spring Boot's {@code max-validation-time} when set; else half the acquire timeout,
	 * at most 5s, so that a connection that does not answer is discarded while the caller
	 * still has time for the next one.
	 */
	private static Setting<Duration> validationTimeout(BootR2dbcKeys boot, Setting<Duration> acquireTimeout) {
		if (boot.maxValidationTime() != null) {
			return new Setting<>(boot.maxValidationTime(), BOOT, BootR2dbcKeys.MAX_VALIDATION_TIME);
		}
		Duration half = acquireTimeout.value().dividedBy(2);
		return new Setting<>(
				(half.compareTo(MAX_DEFAULT_VALIDATION_TIMEOUT) < 0) ? half : MAX_DEFAULT_VALIDATION_TIMEOUT,
				"default (half pool.acquire-timeout, at most 5s)", "pool.acquire-timeout");
	}

	private static Setting<Integer> explicitSize(SharedPoolKeys keys, int cores) {
		String size = keys.size();
		if (size == null) {
			return null;
		}
		String trimmed = size.trim();
		int auto = cores * 2 + keys.effectiveSpindles();
		if (trimmed.equalsIgnoreCase("auto")) {
			return Setting.property("pool.size", auto);
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

	/**
	 * Choose among the user's {@code pool.*} value, the user's Spring Boot value and the
	 * fallback: an explicit Spring Boot key wins over the fallback, and two explicit keys
	 * must agree.
	 */
	private static <T> Setting<T> pick(Setting<T> pool, String bootKey, T bootValue, Setting<T> fallback,
			Function<T, String> format) {
		if (bootValue == null) {
			return (pool != null) ? pool : fallback;
		}
		if (pool != null && !Objects.equals(pool.value(), bootValue)) {
			throw conflict(pool.key(), format.apply(pool.value()), bootKey, format.apply(bootValue));
		}
		return new Setting<>(bootValue, BOOT, bootKey);
	}

	private static PoolConfigurationException conflict(String poolKey, String poolValue, String bootKey,
			String bootValue) {
		return new PoolConfigurationException(poolKey + " and " + bootKey,
				poolKey + "=" + poolValue + ", " + bootKey + "=" + bootValue,
				"one value: both keys set the same r2dbc-pool setting",
				"Remove one of " + poolKey + " and " + bootKey + ", or give both the same value.");
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
			throw invalid(this.overflowIdleTimeout, "10s or more", "Set %s to 10s or more, e.g. 30s.");
		}
		if (this.recycle.value().compareTo(MIN_RECYCLE) < 0) {
			throw invalid(this.recycle, "30s or more",
					"Set %s to 30s or more, and below the server's idle timeout (e.g. 10m).");
		}
		if (this.acquireTimeout.value().compareTo(MIN_ACQUIRE_TIMEOUT) < 0) {
			throw invalid(this.acquireTimeout, "250ms or more", "Set %s to 250ms or more, e.g. 5s.");
		}
		if (this.prePing.value() && (this.validationTimeout.value().isNegative()
				|| this.validationTimeout.value().compareTo(this.acquireTimeout.value()) >= 0)) {
			throw invalid(this.validationTimeout,
					"a time below pool.acquire-timeout (" + Durations.format(this.acquireTimeout.value())
							+ "): a check that does not answer must end while the caller can still get another "
							+ "connection",
					"Set %s below pool.acquire-timeout, or remove it.");
		}
		if (this.maxWaiting.value() != null && this.maxWaiting.value() < 0) {
			throw invalid(this.maxWaiting,
					"a whole number of callers, 0 or more (0: fail at once when every connection is in use)",
					"Set %s to how many callers may wait for a connection, e.g. 20, or remove it to let "
							+ "every caller wait up to pool.acquire-timeout.");
		}
	}

	private static PoolConfigurationException invalid(Setting<?> setting, String allowed, String action) {
		Object value = (setting.value() instanceof Duration duration) ? Durations.format(duration) : setting.value();
		String where = setting.key().startsWith("pool.") ? "" : " (read from " + setting.key() + ")";
		return new PoolConfigurationException(setting.key(), value, allowed + where,
				String.format(action, setting.key()));
	}

	/**
	 * The settings by {@code pool.*} key, for the {@code pools} endpoint.
	 * @return the settings, each with its source
	 */
	Map<String, Setting<?>> byKey() {
		Map<String, Setting<?>> settings = new LinkedHashMap<>();
		settings.put("size", this.size);
		settings.put("overflow", this.overflow);
		settings.put("overflow-idle-timeout", this.overflowIdleTimeout);
		settings.put("recycle", this.recycle);
		settings.put("acquire-timeout", this.acquireTimeout);
		settings.put("pre-ping", this.prePing);
		settings.put("validation-timeout", this.validationTimeout);
		settings.put("max-waiting", this.maxWaiting);
		return settings;
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
				this.prePing.value() ? "on (validation " + Durations.format(this.validationTimeout.value()) + ")"
						: "off",
				(this.maxWaiting.value() != null) ? " max-waiting=" + this.maxWaiting.value() : "", this.profile);
	}

}
