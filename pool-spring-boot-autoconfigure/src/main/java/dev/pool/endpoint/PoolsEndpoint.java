package dev.pool.endpoint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import dev.pool.Credentials;
import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolProperties;
import dev.pool.check.ServerCheck;
import dev.pool.check.ServerChecks;
import dev.pool.http.HttpPoolDescription;
import dev.pool.http.HttpPoolStats;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolStats;
import dev.pool.jdbc.autoconfigure.JdbcPoolSettings;
import dev.pool.jdbc.autoconfigure.PoolMetricsTrackerFactory;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code pools} actuator endpoint: every pool's effective settings with where each
 * value came from, live counts, reuse rate, acquire-time percentiles and the server checks.
 * URLs are shown with their credentials masked; passwords never appear.
 */
@Endpoint(id = "pools")
public class PoolsEndpoint {

	private final DataSource dataSource;

	private final JdbcPoolSettings settings;

	private final PoolProperties properties;

	private final PoolMetricsTrackerFactory stats;

	private final ServerChecks checks;

	private final Supplier<List<HttpPoolDescription>> http;

	/**
	 * Create a new instance.
	 * @param dataSource the application's DataSource, or null
	 * @param settings the JDBC pool's settings
	 * @param properties the {@code pool.*} keys
	 * @param stats the pools' statistics, or null
	 * @param checks the server checks, or null
	 * @param http describes the HTTP pools, null without WebClient
	 */
	public PoolsEndpoint(DataSource dataSource, JdbcPoolSettings settings, PoolProperties properties,
			PoolMetricsTrackerFactory stats, ServerChecks checks, Supplier<List<HttpPoolDescription>> http) {
		this.dataSource = dataSource;
		this.settings = settings;
		this.properties = properties;
		this.stats = stats;
		this.checks = checks;
		this.http = http;
	}

	@ReadOperation
	public PoolsDescriptor pools() {
		Map<String, JdbcPoolDescriptor> jdbc = new LinkedHashMap<>();
		List<JdbcPool> pools = (this.dataSource != null && this.settings != null) ? JdbcPool.of(this.dataSource)
				: List.of();
		for (JdbcPool pool : pools) {
			jdbc.put(pool.name(), describe(pool));
		}
		Map<String, HttpPoolDescriptor> http = new LinkedHashMap<>();
		if (this.http != null) {
			for (HttpPoolDescription pool : this.http.get()) {
				Map<String, SettingDescriptor> settings = new LinkedHashMap<>();
				pool.settings().forEach((key, setting) -> settings.put(key, describe(setting)));
				http.put(pool.name(), new HttpPoolDescriptor(pool.baseUrl(), settings, pool.stats(),
						pool.circuitBreaker(), pool.bulkheadAvailable()));
			}
		}
		return new PoolsDescriptor((this.settings != null) ? this.settings.profile().id() : null, jdbc, http);
	}

	private JdbcPoolDescriptor describe(JdbcPool pool) {
		HikariDataSource dataSource = pool.dataSource();
		HikariPoolMXBean live = dataSource.getHikariPoolMXBean();
		JdbcPoolStats stats = (this.stats != null) ? this.stats.get(dataSource.getPoolName()) : null;
		return new JdbcPoolDescriptor(dataSource.getPoolName(), Credentials.mask(dataSource.getJdbcUrl()),
				dataSource.getUsername(), settings(pool), hikari(dataSource),
				(live != null) ? new Live(live.getActiveConnections(), live.getIdleConnections(),
						live.getTotalConnections(), live.getThreadsAwaitingConnection(),
						dataSource.getMaximumPoolSize()) : null,
				(stats != null) ? new Stats(stats.acquisitions(), stats.connectionsCreated(), stats.connectionsOpenedOnDemand(),
						(stats.acquisitions() > 0) ? stats.reuseRate() : null,
						stats.waits(), stats.timeouts(), stats.exhaustionWarnings(),
						stats.acquireMillis()) : null,
				serverCheck(pool.name()));
	}

	/**
	 * The starter's settings of a pool, each with its source. The SQLite writer is always
	 * one connection; the read pools take their sizes from {@code pool.read.*} or the
	 * primary pool.
	 */
	private Map<String, SettingDescriptor> settings(JdbcPool pool) {
		Map<String, SettingDescriptor> settings = new LinkedHashMap<>();
		String url = pool.dataSource().getJdbcUrl();
		if (JdbcPool.PRIMARY.equals(pool.name()) && url != null && url.startsWith("jdbc:sqlite:")) {
			// A SQLite file becomes writer and reader: a single SQLite pool is in-memory.
			String fixed = "sqlite in-memory: one connection, never recycled";
			settings.put("size", new SettingDescriptor(1, fixed));
			settings.put("overflow", new SettingDescriptor(0, fixed));
			settings.put("recycle", new SettingDescriptor("0", fixed));
			settings.put("acquire-timeout", describe(this.settings.acquireTimeout()));
			settings.put("pre-ping", describe(this.settings.prePing()));
			return settings;
		}
		switch (pool.name()) {
			case "writer" -> {
				settings.put("size", new SettingDescriptor(1, "sqlite: one writer connection"));
				settings.put("overflow", new SettingDescriptor(0, "sqlite: one writer connection"));
			}
			case "read" -> {
				PoolProperties.Read read = this.properties.getRead();
				settings.put("size", (read.getSize() != null) ? new SettingDescriptor(read.getSize(), "property")
						: describe(this.settings.size()));
				settings.put("overflow", (read.getOverflow() != null)
						? new SettingDescriptor(read.getOverflow(), "property") : describe(this.settings.overflow()));
			}
			default -> {
				settings.put("size", describe(this.settings.size()));
				settings.put("overflow", describe(this.settings.overflow()));
			}
		}
		settings.put("overflow-idle-timeout", describe(this.settings.overflowIdleTimeout()));
		settings.put("recycle", describe(this.settings.recycle()));
		settings.put("acquire-timeout", describe(this.settings.acquireTimeout()));
		settings.put("leak-detection-threshold", describe(this.settings.leakDetectionThreshold()));
		settings.put("pre-ping", describe(this.settings.prePing()));
		settings.put("max-waiting", describe(this.settings.maxWaiting()));
		return settings;
	}

	private static SettingDescriptor describe(Setting<?> setting) {
		Object value = (setting.value() instanceof Duration duration) ? Durations.format(duration)
				: (setting.value() instanceof Enum<?> constant) ? constant.name().toLowerCase(java.util.Locale.ROOT)
						: setting.value();
		String source = setting.source().equals(Setting.HIKARI) ? "hikari (" + setting.key() + ")" : setting.source();
		return new SettingDescriptor(value, source);
	}

	private static Map<String, Object> hikari(HikariDataSource dataSource) {
		Map<String, Object> hikari = new LinkedHashMap<>();
		hikari.put("minimumIdle", dataSource.getMinimumIdle());
		hikari.put("maximumPoolSize", dataSource.getMaximumPoolSize());
		hikari.put("idleTimeout", Durations.format(Duration.ofMillis(dataSource.getIdleTimeout())));
		hikari.put("maxLifetime", Durations.format(Duration.ofMillis(dataSource.getMaxLifetime())));
		hikari.put("connectionTimeout", Durations.format(Duration.ofMillis(dataSource.getConnectionTimeout())));
		hikari.put("keepaliveTime", Durations.format(Duration.ofMillis(dataSource.getKeepaliveTime())));
		hikari.put("leakDetectionThreshold",
				Durations.format(Duration.ofMillis(dataSource.getLeakDetectionThreshold())));
		hikari.put("readOnly", dataSource.isReadOnly());
		hikari.put("aliveBypassWindowMs", System.getProperty("com.zaxxer.hikari.aliveBypassWindowMs", "500"));
		return hikari;
	}

	private ServerCheck serverCheck(String role) {
		if (this.checks == null) {
			return null;
		}
		return this.checks.forPool(role);
	}

	/**
	 * Everything the endpoint shows.
	 *
	 * @param profile the {@code pool.profile}
	 * @param jdbc the JDBC pools by role
	 * @param http the HTTP pools by name
	 */
	public record PoolsDescriptor(String profile, Map<String, JdbcPoolDescriptor> jdbc,
			Map<String, HttpPoolDescriptor> http) {
	}

	/**
	 * One HTTP connection pool.
	 *
	 * @param baseUrl the host's base URL, credentials masked; null for the default pool
	 * @param settings the effective settings with their sources
	 * @param stats the pool's counts
	 * @param circuitBreaker the host's circuit breaker state, null without one
	 * @param bulkheadAvailable calls the host's bulkhead still admits, null without one
	 */
	public record HttpPoolDescriptor(String baseUrl, Map<String, SettingDescriptor> settings, HttpPoolStats stats,
			String circuitBreaker, Integer bulkheadAvailable) {
	}

	/**
	 * One JDBC pool.
	 *
	 * @param poolName HikariCP's pool name
	 * @param url the JDBC URL, credentials masked
	 * @param username the login user
	 * @param settings the starter's settings with their sources
	 * @param hikari the values HikariCP runs with
	 * @param live connection counts now, null before the pool started
	 * @param stats what the pool has done since it started
	 * @param serverCheck the start-up server check, null while it runs
	 */
	public record JdbcPoolDescriptor(String poolName, String url, String username,
			Map<String, SettingDescriptor> settings, Map<String, Object> hikari, Live live, Stats stats,
			ServerCheck serverCheck) {
	}

	/**
	 * A setting's value and where it came from.
	 *
	 * @param value the effective value
	 * @param source {@code default}, {@code profile:<name>}, {@code property},
	 * {@code hikari (<key>)}, or why it is fixed
	 */
	public record SettingDescriptor(Object value, String source) {
	}

	/**
	 * Connection counts now.
	 *
	 * @param active borrowed
	 * @param idle open and free
	 * @param total open
	 * @param waiting callers waiting for a connection
	 * @param max the most the pool opens
	 */
	public record Live(int active, int idle, int total, int waiting, int max) {
	}

	/**
	 * What the pool has done since it started.
	 *
	 * @param acquisitions connections handed out
	 * @param connectionsCreated connections opened
	 * @param connectionsOpenedOnDemand connections opened while callers waited for one
	 * @param reuseRate share of acquisitions served by a connection already open, null
	 * before the first
	 * @param waits acquisitions that waited 100 ms or more
	 * @param timeouts callers that gave up after the acquire timeout
	 * @param exhaustionWarnings exhaustion warnings logged
	 * @param acquireMillis acquire-time percentiles (upper bounds of power-of-two buckets)
	 */
	public record Stats(long acquisitions, long connectionsCreated, long connectionsOpenedOnDemand, Double reuseRate, long waits, long timeouts,
			long exhaustionWarnings, Map<String, Double> acquireMillis) {
	}

}
