package dev.pool.endpoint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.check.ServerCheck;
import dev.pool.check.ServerChecks;
import dev.pool.http.HttpPoolDescription;
import dev.pool.http.HttpPoolStats;
import dev.pool.jdbc.JdbcDataSources;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.JdbcPoolState;
import dev.pool.jdbc.JdbcPoolStats;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.RotatingCredentials;
import dev.pool.r2dbc.R2dbcPoolDescription;
import dev.pool.r2dbc.R2dbcPoolStats;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code pools} actuator endpoint: every pool's effective settings with where each
 * value came from, live counts, reuse rate, acquire-time percentiles and the server
 * checks. URLs are shown with their credentials masked; passwords never appear.
 */
@Endpoint(id = "pools")
public class PoolsEndpoint {

	private final Supplier<Map<String, DataSource>> dataSources;

	private final @Nullable JdbcPools jdbc;

	private final @Nullable ServerChecks checks;

	private final Supplier<List<HttpPoolDescription>> http;

	private final Supplier<List<R2dbcPoolDescription>> r2dbc;

	/**
	 * Create a new instance.
	 * @param dataSources the application's DataSource beans by name
	 * @param jdbc describes the JDBC pools, null without the JDBC pool's
	 * auto-configuration
	 * @param checks the server checks, or null
	 * @param http describes the HTTP pools, null without WebClient
	 */
	public PoolsEndpoint(Supplier<Map<String, DataSource>> dataSources, JdbcPools jdbc, ServerChecks checks,
			Supplier<List<HttpPoolDescription>> http) {
		this(dataSources, jdbc, checks, http, null);
	}

	/**
	 * Create a new instance.
	 * @param dataSources the application's DataSource beans by name
	 * @param jdbc describes the JDBC pools, null without the JDBC pool's
	 * auto-configuration
	 * @param checks the server checks, or null
	 * @param http describes the HTTP pools, null without WebClient
	 * @param r2dbc describes the R2DBC pools, null without r2dbc-pool
	 */
	public PoolsEndpoint(Supplier<Map<String, DataSource>> dataSources, JdbcPools jdbc, ServerChecks checks,
			Supplier<List<HttpPoolDescription>> http, Supplier<List<R2dbcPoolDescription>> r2dbc) {
		this.dataSources = dataSources;
		this.jdbc = jdbc;
		this.checks = checks;
		this.http = http;
		this.r2dbc = r2dbc;
	}

	@ReadOperation
	public PoolsDescriptor pools() {
		Map<String, JdbcPoolDescriptor> jdbc = new LinkedHashMap<>();
		if (this.jdbc != null) {
			for (JdbcPool pool : JdbcDataSources.pools(JdbcDataSources.of(this.dataSources.get()))) {
				for (JdbcPoolDescription description : this.jdbc.describe(pool.dataSource())) {
					jdbc.put(pool.name(), describe(pool.name(), description));
				}
			}
		}
		Map<String, HttpPoolDescriptor> http = new LinkedHashMap<>();
		if (this.http != null) {
			for (HttpPoolDescription pool : this.http.get()) {
				http.put(pool.name(), new HttpPoolDescriptor(pool.baseUrl(), describe(pool.settings()), pool.stats(),
						pool.circuitBreaker(), pool.bulkheadAvailable()));
			}
		}
		Map<String, R2dbcPoolDescriptor> r2dbc = new LinkedHashMap<>();
		if (this.r2dbc != null) {
			for (R2dbcPoolDescription pool : this.r2dbc.get()) {
				r2dbc.put(pool.name(), new R2dbcPoolDescriptor(describe(pool.settings()), pool.stats(),
						pool.serverCheck(), pool.credentials().describe()));
			}
		}
		return new PoolsDescriptor((this.jdbc != null) ? this.jdbc.profile() : null, jdbc, http, r2dbc);
	}

	private JdbcPoolDescriptor describe(String name, JdbcPoolDescription pool) {
		HikariDataSource dataSource = pool.dataSource();
		JdbcPoolState state = pool.state();
		JdbcPoolStats stats = pool.stats();
		return new JdbcPoolDescriptor(pool.beanName(), pool.role(), pool.poolName(), pool.url(), pool.username(),
				describe(pool.settings()), hikari(pool),
				new Live(state.status().name(), state.active(), state.idle(), state.total(), state.waiting(),
						state.size(), state.max(), state.utilisation()),
				(stats != null) ? new Stats(stats.acquisitions(), stats.connectionsCreated(),
						stats.connectionsOpenedOnDemand(), (stats.acquisitions() > 0) ? stats.reuseRate() : null,
						stats.waits(), stats.timeouts(), stats.exhaustionWarnings(), stats.acquireMillis()) : null,
				(dataSource instanceof ManagedHikariDataSource managed && managed.getPrePingCheck() != null)
						? new PrePing(managed.getPrePingCheck(), managed.getDeadOnBorrowCount()) : null,
				serverCheck(name), RotatingCredentials.describe(dataSource));
	}

	private static Map<String, SettingDescriptor> describe(Map<String, Setting<?>> settings) {
		Map<String, SettingDescriptor> descriptors = new LinkedHashMap<>();
		settings.forEach((key, setting) -> descriptors.put(key, describe(setting)));
		return descriptors;
	}

	private static SettingDescriptor describe(Setting<?> setting) {
		Object value = (setting.value() instanceof Duration duration) ? Durations.format(duration)
				: (setting.value() instanceof Enum<?> constant) ? constant.name().toLowerCase(java.util.Locale.ROOT)
						: setting.value();
		String source = (setting.source().equals(Setting.HIKARI) || setting.source().equals("spring.r2dbc.pool"))
				? setting.source() + " (" + setting.key() + ")" : setting.source();
		return new SettingDescriptor(value, source);
	}

	// No HikariCP type in a signature: the endpoint serves applications without it.
	private static Map<String, Object> hikari(JdbcPoolDescription pool) {
		HikariDataSource dataSource = pool.dataSource();
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
	 * @param jdbc the JDBC pools by role; with several DataSources by bean name (and
	 * {@code <bean name>/<role>} where one has several pools); the targets of a routing
	 * DataSource by {@code <bean name>/<routing key>}
	 * @param http the HTTP pools by name
	 * @param r2dbc the R2DBC pools by bean name
	 */
	public record PoolsDescriptor(String profile, Map<String, JdbcPoolDescriptor> jdbc,
			Map<String, HttpPoolDescriptor> http, Map<String, R2dbcPoolDescriptor> r2dbc) {
	}

	/**
	 * One R2DBC pool.
	 *
	 * @param settings the settings the pool runs with, each with its source; empty when
	 * the pool is Spring Boot's as it made it (no {@code pool.*} key set)
	 * @param stats r2dbc-pool's counts, null without its metrics
	 * @param serverCheck the start-up check against the database server, null while it
	 * runs or when the pool is not checked
	 * @param credentials where the credentials come from ({@code file: <path>},
	 * {@code provider: <bean name>} or {@code property}), and for rotating ones how often
	 * they changed and were refused; never a secret
	 */
	public record R2dbcPoolDescriptor(Map<String, SettingDescriptor> settings, @Nullable R2dbcPoolStats stats,
			@Nullable ServerCheck serverCheck, Map<String, Object> credentials) {
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
	public record HttpPoolDescriptor(@Nullable String baseUrl, Map<String, SettingDescriptor> settings,
			HttpPoolStats stats, @Nullable String circuitBreaker, @Nullable Integer bulkheadAvailable) {
	}

	/**
	 * One JDBC pool.
	 *
	 * @param dataSource the DataSource bean (or routing key) the pool belongs to, the
	 * name its {@code pool.datasources.<name>.*} keys take; null when unknown
	 * @param role the pool's role: {@code primary}, {@code read}, {@code writer} or
	 * {@code reader}
	 * @param poolName HikariCP's pool name
	 * @param url the JDBC URL, credentials masked
	 * @param username the login user
	 * @param settings the settings the pool runs with, each with its source
	 * @param hikari the values HikariCP runs with
	 * @param live connection counts now
	 * @param stats what the pool has done since it started
	 * @param serverCheck the start-up server check, null while it runs
	 * @param credentials where the credentials come from ({@code file: <path>},
	 * {@code provider: <bean name>} or {@code property}) and, when they rotate, how often
	 * they changed and were refused; never a secret
	 */
	public record JdbcPoolDescriptor(String dataSource, String role, String poolName, String url, String username,
			Map<String, SettingDescriptor> settings, Map<String, Object> hikari, Live live, Stats stats,
			PrePing prePing, ServerCheck serverCheck, Map<String, Object> credentials) {
	}

	/**
	 * How a pool checks a connection before handing it out ({@code pool.pre-ping}), once
	 * it started.
	 *
	 * @param check what is checked, and what it costs per borrow
	 * @param deadOnBorrow the connections found dead as they were borrowed, and evicted
	 */
	public record PrePing(String check, long deadOnBorrow) {
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
	 * Connection counts now, as health and the meters show them.
	 *
	 * @param status {@code NOT_STARTED} (HikariCP starts a pool on its first borrow; the
	 * counts are then 0), {@code RUNNING} or {@code CLOSED}
	 * @param active borrowed
	 * @param idle open and free
	 * @param total open
	 * @param waiting callers waiting for a connection
	 * @param size the connections kept open
	 * @param max the most the pool opens
	 * @param utilisation {@code active / max}
	 */
	public record Live(String status, int active, int idle, int total, int waiting, int size, int max,
			double utilisation) {
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
	 * @param acquireMillis acquire-time percentiles (upper bounds of power-of-two
	 * buckets)
	 */
	public record Stats(long acquisitions, long connectionsCreated, long connectionsOpenedOnDemand,
			@Nullable Double reuseRate, long waits, long timeouts, long exhaustionWarnings,
			Map<String, Double> acquireMillis) {
	}

}
