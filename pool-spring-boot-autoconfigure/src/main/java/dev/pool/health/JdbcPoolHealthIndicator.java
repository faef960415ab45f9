package dev.pool.health;

import java.sql.Connection;
import java.util.Locale;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;

import dev.pool.check.ServerCheck;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolStats;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one JDBC pool. Load never makes it DOWN: a saturated pool (every connection
 * busy, callers waiting) is UP with the saturation in its details, and the check does not
 * queue behind the callers. Only a database the pool cannot reach is DOWN.
 * <p>
 * How it knows: with an idle connection and nobody waiting, it borrows that connection for
 * at most {@value #PROBE_MILLIS} ms and checks it; with every connection busy, the busy
 * connections are the evidence; with no connection at all, it asks the pool for one for at
 * most {@value #PROBE_MILLIS} ms, which tells whether the server answers.
 */
public class JdbcPoolHealthIndicator extends AbstractHealthIndicator {

	/** How long a probe may wait for a connection. */
	static final long PROBE_MILLIS = 1000;

	private final JdbcPool pool;

	private final Function<String, JdbcPoolStats> stats;

	private final Function<String, ServerCheck> serverCheck;

	/**
	 * Create a new instance.
	 * @param pool the pool
	 * @param stats the starter's statistics by HikariCP pool name (may answer null)
	 * @param serverCheck the start-up server check by pool role (may answer null)
	 */
	public JdbcPoolHealthIndicator(JdbcPool pool, Function<String, JdbcPoolStats> stats,
			Function<String, ServerCheck> serverCheck) {
		super("Health check of pool '" + pool.name() + "' failed");
		this.pool = pool;
		this.stats = stats;
		this.serverCheck = serverCheck;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		HikariDataSource dataSource = this.pool.dataSource();
		if (dataSource.isClosed()) {
			builder.outOfService().withDetail("state", "closed");
			return;
		}
		HikariPoolMXBean live = dataSource.getHikariPoolMXBean();
		if (live == null) {
			// Not started yet: the first borrow starts it (HikariCP fails fast when it can't connect).
			probe(builder, dataSource::getConnection, "started by the health check");
			details(builder, dataSource, dataSource.getHikariPoolMXBean());
			return;
		}
		int max = dataSource.getMaximumPoolSize();
		int active = live.getActiveConnections();
		int idle = live.getIdleConnections();
		int waiting = live.getThreadsAwaitingConnection();
		if (live.getTotalConnections() == 0) {
			probe(builder, () -> ((HikariPool) live).getConnection(PROBE_MILLIS), "no open connection");
		}
		else if (idle == 0 || waiting > 0) {
			builder.up().withDetail("state", (active >= max) ? "saturated" : "busy");
		}
		else {
			probe(builder, () -> ((HikariPool) live).getConnection(PROBE_MILLIS), "idle connection checked");
		}
		details(builder, dataSource, live);
	}

	private void probe(Health.Builder builder, ConnectionSource source, String state) {
		try (Connection connection = source.get()) {
			if (connection.isValid((int) Math.max(1, PROBE_MILLIS / 1000))) {
				builder.up().withDetail("state", state);
			}
			else {
				builder.down().withDetail("state", "connection not valid");
			}
		}
		catch (Exception ex) {
			builder.down().withDetail("state", "database not reachable").withDetail("error", describe(ex));
		}
	}

	private static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root == ex) ? String.valueOf(ex.getMessage())
				: ex.getMessage() + " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
	}

	private void details(Health.Builder builder, HikariDataSource dataSource, HikariPoolMXBean live) {
		int max = dataSource.getMaximumPoolSize();
		int size = Math.max(dataSource.getMinimumIdle(), 0);
		builder.withDetail("pool", dataSource.getPoolName());
		builder.withDetail("size", size);
		builder.withDetail("overflow", max - size);
		builder.withDetail("max", max);
		if (live != null) {
			builder.withDetail("active", live.getActiveConnections());
			builder.withDetail("idle", live.getIdleConnections());
			builder.withDetail("waiting", live.getThreadsAwaitingConnection());
			builder.withDetail("utilisation",
					String.format(Locale.ROOT, "%.2f", (double) live.getActiveConnections() / max));
		}
		JdbcPoolStats stats = this.stats.apply(dataSource.getPoolName());
		if (stats != null) {
			builder.withDetail("acquisitions", stats.acquisitions());
			builder.withDetail("connectionsCreated", stats.connectionsCreated());
			builder.withDetail("reuseRate", String.format(Locale.ROOT, "%.4f", stats.reuseRate()));
			builder.withDetail("timeouts", stats.timeouts());
		}
		ServerCheck check = this.serverCheck.apply(this.pool.name());
		if (check != null) {
			builder.withDetail("serverCheck", check.status().name());
			Object math = check.details().get("connectionMath");
			if (math != null) {
				builder.withDetail("connectionMath", math);
			}
			if (!check.problems().isEmpty()) {
				builder.withDetail("serverProblems", check.problems());
			}
		}
	}

	@FunctionalInterface
	private interface ConnectionSource {

		Connection get() throws Exception;

	}

}
