package dev.pool.http.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.pool.Credentials;
import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import org.jspecify.annotations.Nullable;
import reactor.netty.resources.ConnectionProvider;

/**
 * The effective settings of one HTTP connection pool: {@code pool.http.*} over the
 * starter's defaults for the default pool, {@code pool.http.hosts.<name>.*} over those
 * for a named host. Every value carries its source. Resolving validates: a bad value
 * throws {@link PoolConfigurationException}; nothing is clamped.
 *
 * @param name the pool name: {@code default}, or the host's name
 * @param baseUrl the host's base URL, null for the default pool (may hold credentials:
 * show it only through {@link #maskedBaseUrl()})
 * @param maxConnections open connections per remote host
 * @param pendingAcquireMaxCount requests allowed to wait for a connection
 * @param pendingAcquireTimeout how long a request waits for a connection
 * @param maxIdleTime the idle time after which a connection is closed
 * @param maxLifeTime the age after which a connection is closed
 * @param evictInBackground how often idle and old connections are swept, zero when never
 * @param leaseStrategy which idle connection a request gets
 * @param connectTimeout TCP connect timeout; a null value leaves Reactor Netty's own
 * @param responseTimeout time to the first response byte; a null value sets none
 */
public record HttpPoolSettings(String name, @Nullable String baseUrl, Setting<Integer> maxConnections,
		Setting<Integer> pendingAcquireMaxCount, Setting<Duration> pendingAcquireTimeout, Setting<Duration> maxIdleTime,
		Setting<Duration> maxLifeTime, Setting<Duration> evictInBackground, Setting<LeaseStrategy> leaseStrategy,
		Setting<Duration> connectTimeout, Setting<Duration> responseTimeout) {

	/** Name of the pool behind Spring Boot's {@code WebClient.Builder}. */
	public static final String DEFAULT = "default";

	/** Source of a value read from {@code spring.http.clients.*}. */
	static final String SPRING_HTTP_CLIENTS = "spring.http.clients";

	/**
	 * Source of a value the starter leaves to Reactor Netty, as a plain Spring Boot
	 * application has it (a null value: Reactor Netty sets its own, or none).
	 */
	static final String REACTOR_NETTY = "reactor-netty";

	private static final String PREFIX = "pool.http.";

	/**
	 * The least number of connections per host of Reactor Netty's global pool, the one
	 * behind a plain Spring Boot application's {@code WebClient}: {@code TcpResources}
	 * creates it with {@code max(ConnectionProvider.DEFAULT_POOL_MAX_CONNECTIONS, 500)}.
	 * Reactor Netty states this floor only in code, so a test compares it with the global
	 * pool itself.
	 */
	static final int GLOBAL_POOL_MIN_CONNECTIONS = 500;

	/**
	 * The defaults of the pool behind Spring Boot's {@code WebClient.Builder}. Its
	 * capacity is exactly that of Reactor Netty's global pool, which a plain Spring Boot
	 * application uses: the connections per host of
	 * {@link #reactorNettyMaxConnections()}, twice as many waiting requests, and Reactor
	 * Netty's 45s wait for a connection; each honours Reactor Netty's
	 * {@code reactor.netty.pool.*} system properties. What the starter adds (idle and
	 * lifetime eviction, the background sweep, statistics) closes connections nobody uses
	 * and never lowers what is served. The timeouts are Reactor Netty's own (no response
	 * timeout, its connect timeout).
	 */
	static final HttpPoolSettings DEFAULTS = new HttpPoolSettings(DEFAULT, null,
			new Setting<>(reactorNettyMaxConnections(), REACTOR_NETTY, PREFIX + "max-connections"),
			new Setting<>(twice(reactorNettyMaxConnections()), REACTOR_NETTY, PREFIX + "pending-acquire-max-count"),
			new Setting<>(Duration.ofMillis(ConnectionProvider.DEFAULT_POOL_ACQUIRE_TIMEOUT), REACTOR_NETTY,
					PREFIX + "pending-acquire-timeout"),
			reactorNettyOr("max-idle-time", ConnectionProvider.DEFAULT_POOL_MAX_IDLE_TIME, Duration.ofSeconds(60)),
			reactorNettyOr("max-life-time", ConnectionProvider.DEFAULT_POOL_MAX_LIFE_TIME, Duration.ofMinutes(5)),
			fallback("evict-in-background", Duration.ofSeconds(30)), fallback("lease-strategy", LeaseStrategy.LIFO),
			new Setting<>(null, REACTOR_NETTY, PREFIX + "connect-timeout"),
			new Setting<>(null, REACTOR_NETTY, PREFIX + "response-timeout"));

	/**
	 * The capacity of a named client ({@code pool.http.hosts.<name>}) when neither its
	 * own keys nor {@code pool.http.*} set it: the starter's own defaults, since the user
	 * asked for a pool of its own.
	 */
	private static final Setting<Integer> HOST_MAX_CONNECTIONS = fallback("max-connections", 50);

	private static final Setting<Integer> HOST_PENDING_ACQUIRE_MAX_COUNT = fallback("pending-acquire-max-count", 1000);

	/**
	 * The connections per host of Reactor Netty's global pool:
	 * {@code ConnectionProvider.DEFAULT_POOL_MAX_CONNECTIONS} (the
	 * {@code reactor.netty.pool.maxConnections} system property, or twice the processors
	 * and at least 16), and at least {@link #GLOBAL_POOL_MIN_CONNECTIONS}.
	 * @return the maximum of connections per host
	 */
	static int reactorNettyMaxConnections() {
		return Math.max(ConnectionProvider.DEFAULT_POOL_MAX_CONNECTIONS, GLOBAL_POOL_MIN_CONNECTIONS);
	}

	/** Reactor Netty's default of waiting requests: twice the maximum connections. */
	private static int twice(int maxConnections) {
		return (int) Math.min(2L * maxConnections, Integer.MAX_VALUE);
	}

	/**
	 * Reactor Netty's value when its system property set one (a value above -1), else the
	 * starter's default.
	 */
	private static Setting<Duration> reactorNettyOr(String key, long reactorNettyMillis, Duration fallback) {
		return (reactorNettyMillis > -1)
				? new Setting<>(Duration.ofMillis(reactorNettyMillis), REACTOR_NETTY, PREFIX + key)
				: fallback(key, fallback);
	}

	/**
	 * Resolve and validate the settings of every pool: the default pool first, then the
	 * named hosts in the order they were configured.
	 * @param properties the bound {@code pool.http.*} keys
	 * @param boot the {@code spring.http.clients.*} timeouts the user set
	 * @return the settings by pool name
	 */
	static Map<String, HttpPoolSettings> resolve(HttpPoolProperties properties, BootHttpClientKeys boot) {
		HttpPoolSettings pool = of(DEFAULT, null, PREFIX, properties, DEFAULTS);
		// As in Reactor Netty, twice the maximum connections may wait, unless set.
		Setting<Integer> pending = pool.pendingAcquireMaxCount.isExplicit() ? pool.pendingAcquireMaxCount
				: new Setting<>(twice(pool.maxConnections.value()), REACTOR_NETTY,
						PREFIX + "pending-acquire-max-count");
		HttpPoolSettings base = new HttpPoolSettings(DEFAULT, null, pool.maxConnections, pending,
				pool.pendingAcquireTimeout, pool.maxIdleTime, pool.maxLifeTime, pool.evictInBackground,
				pool.leaseStrategy,
				boot(pool.connectTimeout, BootHttpClientKeys.CONNECT_TIMEOUT, boot.connectTimeout()),
				boot(pool.responseTimeout, BootHttpClientKeys.READ_TIMEOUT, boot.readTimeout()));
		base.validate();
		// A named host inherits every pool.http.* key; its capacity, unless set, is the
		// starter's own rather than Reactor Netty's global pool's.
		HttpPoolSettings hostBase = new HttpPoolSettings(DEFAULT, null,
				base.maxConnections.isExplicit() ? base.maxConnections : HOST_MAX_CONNECTIONS,
				base.pendingAcquireMaxCount.isExplicit() ? base.pendingAcquireMaxCount : HOST_PENDING_ACQUIRE_MAX_COUNT,
				base.pendingAcquireTimeout, base.maxIdleTime, base.maxLifeTime, base.evictInBackground,
				base.leaseStrategy, base.connectTimeout, base.responseTimeout);
		Map<String, HttpPoolSettings> pools = new LinkedHashMap<>();
		pools.put(DEFAULT, base);
		properties.getHosts().forEach((name, host) -> {
			String prefix = PREFIX + "hosts." + name + ".";
			if (DEFAULT.equals(name)) {
				throw new PoolConfigurationException(PREFIX + "hosts." + name, name,
						"any name but 'default', which is the pool behind Spring Boot's WebClient.Builder",
						"Rename pool.http.hosts.default, for example to the name of the service it calls.");
			}
			HttpPoolSettings settings = of(name, baseUrl(prefix + "base-url", host.getBaseUrl()), prefix, host,
					hostBase);
			settings.validate();
			validateResilience(prefix, host);
			pools.put(name, settings);
		});
		return pools;
	}

	private static HttpPoolSettings of(String name, String baseUrl, String prefix, HttpPoolSettingsProperties values,
			HttpPoolSettings parent) {
		String leaseKey = prefix + "lease-strategy";
		LeaseStrategy leaseStrategy = (values.getLeaseStrategy() != null)
				? LeaseStrategy.of(leaseKey, values.getLeaseStrategy()) : null;
		return new HttpPoolSettings(name, baseUrl,
				pick(prefix + "max-connections", values.getMaxConnections(), parent.maxConnections),
				pick(prefix + "pending-acquire-max-count", values.getPendingAcquireMaxCount(),
						parent.pendingAcquireMaxCount),
				pick(prefix + "pending-acquire-timeout", values.getPendingAcquireTimeout(),
						parent.pendingAcquireTimeout),
				pick(prefix + "max-idle-time", values.getMaxIdleTime(), parent.maxIdleTime),
				pick(prefix + "max-life-time", values.getMaxLifeTime(), parent.maxLifeTime),
				pick(prefix + "evict-in-background", values.getEvictInBackground(), parent.evictInBackground),
				pick(leaseKey, leaseStrategy, parent.leaseStrategy),
				pick(prefix + "connect-timeout", values.getConnectTimeout(), parent.connectTimeout),
				pick(prefix + "response-timeout", values.getResponseTimeout(), parent.responseTimeout));
	}

	private static <T> Setting<T> fallback(String key, T value) {
		return new Setting<>(value, Setting.DEFAULT, PREFIX + key);
	}

	private static <T> Setting<T> pick(String key, T value, Setting<T> parent) {
		return (value != null) ? Setting.property(key, value) : parent;
	}

	/**
	 * Spring Boot's connector builder applies {@code spring.http.clients.*} after the
	 * starter's timeouts, so an explicit Boot key wins over a default; both keys set to
	 * different values is a conflict.
	 */
	private static Setting<Duration> boot(Setting<Duration> pool, String bootKey, Duration bootValue) {
		if (bootValue == null) {
			return pool;
		}
		if (pool.isExplicit() && !pool.value().equals(bootValue)) {
			throw new PoolConfigurationException(pool.key() + " and " + bootKey,
					pool.key() + "=" + Durations.format(pool.value()) + ", " + bootKey + "="
							+ Durations.format(bootValue),
					"one value: both keys set the same timeout of the WebClient connector",
					"Remove one of " + pool.key() + " and " + bootKey + ", or give both the same value.");
		}
		return new Setting<>(bootValue, SPRING_HTTP_CLIENTS, bootKey);
	}

	private static String baseUrl(String key, String value) {
		String allowed = "an absolute http or https URL with a host, e.g. https://api.example.com/v1";
		if (value == null || value.isBlank()) {
			throw new PoolConfigurationException(key, "unset", allowed,
					"Set " + key + " to the URL the named client calls, or remove the host.");
		}
		URI uri;
		try {
			uri = new URI(value.trim());
		}
		catch (Exception ex) {
			throw new PoolConfigurationException(key, mask(value), allowed,
					"Set " + key + " to a well-formed URL (encode spaces and special characters).");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
			throw new PoolConfigurationException(key, mask(value), allowed,
					"Set " + key + " to a URL that starts with http:// or https:// and names a host.");
		}
		return value.trim();
	}

	/**
	 * Hide the user information ({@code user:password@}) of a URL.
	 * @param url a URL as the user wrote it
	 * @return the URL with any user information replaced by {@code ***}
	 */
	static String mask(String url) {
		return Credentials.mask(url);
	}

	/**
	 * The host's base URL with any credentials in it hidden, for logs and messages.
	 * @return the masked base URL, or null for the default pool
	 */
	public @Nullable String maskedBaseUrl() {
		return mask(this.baseUrl);
	}

	private void validate() {
		check(this.maxConnections.value() >= 1, this.maxConnections, "a whole number, 1 or more",
				"Set %s to the connections one remote host may have open, e.g. 50.");
		check(this.pendingAcquireMaxCount.value() >= 0, this.pendingAcquireMaxCount,
				"a whole number, 0 or more (0: a request fails at once when every connection is busy)",
				"Set %s to the requests that may wait for a connection, e.g. 1000.");
		checkPositive(this.pendingAcquireTimeout, "Set %s to how long a request may wait for a connection, e.g. 30s.");
		checkPositive(this.maxIdleTime, "Set %s below the keep-alive timeout of the server, e.g. 60s.");
		checkPositive(this.maxLifeTime, "Set %s to the age at which a connection is replaced, e.g. 5m.");
		check(this.maxIdleTime.value().compareTo(this.maxLifeTime.value()) <= 0, this.maxIdleTime,
				"at most " + this.maxLifeTime.key() + " (" + Durations.format(this.maxLifeTime.value()) + ")",
				"Set %s to at most " + Durations.format(this.maxLifeTime.value()) + ", or raise "
						+ this.maxLifeTime.key() + ".");
		check(!this.evictInBackground.value().isNegative(), this.evictInBackground,
				"0 (sweep only when a connection is acquired) or more",
				"Set %s to how often idle connections are swept, e.g. 30s.");
		if (this.connectTimeout.value() != null) {
			checkPositive(this.connectTimeout, "Set %s to how long a TCP connect may take, e.g. 5s.");
			check(this.connectTimeout.value().toMillis() <= Integer.MAX_VALUE, this.connectTimeout,
					"at most " + Integer.MAX_VALUE + "ms (Netty's limit)", "Set %s to a few seconds, e.g. 5s.");
		}
		if (this.responseTimeout.value() != null) {
			checkPositive(this.responseTimeout, "Set %s to how long the server may take to answer, e.g. 30s.");
		}
	}

	private static void validateResilience(String prefix, HttpPoolProperties.Host host) {
		HttpPoolProperties.CircuitBreaker breaker = host.getCircuitBreaker();
		String key = prefix + "circuit-breaker.";
		float threshold = breaker.getFailureRateThreshold();
		check(threshold > 0 && threshold <= 100, Setting.property(key + "failure-rate-threshold", threshold),
				"a percentage above 0, at most 100", "Set %s to the failure rate that opens the circuit, e.g. 50.");
		check(breaker.getMinimumNumberOfCalls() >= 1,
				Setting.property(key + "minimum-number-of-calls", breaker.getMinimumNumberOfCalls()),
				"a whole number, 1 or more", "Set %s to the calls needed before the failure rate counts, e.g. 10.");
		check(breaker.getSlidingWindowSize() >= breaker.getMinimumNumberOfCalls(),
				Setting.property(key + "sliding-window-size", breaker.getSlidingWindowSize()),
				"a whole number, at least " + key + "minimum-number-of-calls (" + breaker.getMinimumNumberOfCalls()
						+ ")",
				"Set %s to at least " + breaker.getMinimumNumberOfCalls() + ", e.g. 20.");
		checkPositive(Setting.property(key + "wait-duration-in-open-state", breaker.getWaitDurationInOpenState()),
				"Set %s to how long calls fail at once before trial calls, e.g. 30s.");
		check(breaker.getPermittedNumberOfCallsInHalfOpenState() >= 1,
				Setting.property(key + "permitted-number-of-calls-in-half-open-state",
						breaker.getPermittedNumberOfCallsInHalfOpenState()),
				"a whole number, 1 or more", "Set %s to the trial calls made after the wait, e.g. 3.");
		HttpPoolProperties.Bulkhead bulkhead = host.getBulkhead();
		key = prefix + "bulkhead.";
		Integer calls = bulkhead.getMaxConcurrentCalls();
		check(calls == null || calls >= 1, Setting.property(key + "max-concurrent-calls", calls),
				"a whole number, 1 or more", "Set %s to the calls that may be in flight at once, e.g. 50.");
		check(!bulkhead.getMaxWaitDuration().isNegative(),
				Setting.property(key + "max-wait-duration", bulkhead.getMaxWaitDuration()), "0 (fail at once) or more",
				"Set %s to 0, or to how long a call may wait for a free place.");
	}

	private static void checkPositive(Setting<Duration> setting, String action) {
		check(!setting.value().isNegative() && !setting.value().isZero(), setting, "a duration above 0", action);
	}

	private static void check(boolean valid, Setting<?> setting, String allowed, String action) {
		if (!valid) {
			Object value = (setting.value() instanceof Duration duration) ? Durations.format(duration)
					: setting.value();
			throw new PoolConfigurationException(setting.key(), value, allowed, String.format(action, setting.key()));
		}
	}

	/**
	 * Describe the settings in one line, for the start-up log.
	 * @return a summary without any credential
	 */
	public String summary() {
		String target = (this.baseUrl != null) ? " base-url=" + maskedBaseUrl() : "";
		return String.format(Locale.ROOT,
				"'%s'%s max-connections=%d pending-acquire-max-count=%d pending-acquire-timeout=%s max-idle-time=%s "
						+ "max-life-time=%s evict-in-background=%s lease-strategy=%s connect-timeout=%s response-timeout=%s",
				this.name, target, this.maxConnections.value(), this.pendingAcquireMaxCount.value(),
				Durations.format(this.pendingAcquireTimeout.value()), Durations.format(this.maxIdleTime.value()),
				Durations.format(this.maxLifeTime.value()), Durations.format(this.evictInBackground.value()),
				this.leaseStrategy.value(), timeout(this.connectTimeout), timeout(this.responseTimeout));
	}

	private static String timeout(Setting<Duration> timeout) {
		return (timeout.value() != null) ? Durations.format(timeout.value()) : "unset (Reactor Netty's)";
	}

	@Override
	public String toString() {
		return "HttpPoolSettings " + summary();
	}

}
