package dev.pool.jdbc.health;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import dev.pool.Credentials;
import dev.pool.check.ServerCheck;
import dev.pool.jdbc.BackgroundBorrow;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolProbe;
import dev.pool.jdbc.JdbcPoolStats;
import dev.pool.jdbc.ManagedHikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Health of one JDBC pool. Load never makes it DOWN: a saturated pool (every connection
 * busy, callers waiting) is UP with the saturation in its details, and the check does not
 * queue behind the callers. Only a database the pool cannot reach is DOWN.
 * <p>
 * How it knows: with an idle connection and nobody waiting, it borrows that connection
 * for at most {@value #PROBE_MILLIS} ms and checks it (if callers take every connection
 * meanwhile, it is busy, not down); with every connection busy, the busy connections are
 * the evidence; with no connection at all, it asks the pool for one for at most
 * {@value #PROBE_MILLIS} ms, which tells whether the server answers. Its borrows are not
 * counted in the pool's statistics.
 */
public class JdbcPoolHealthIndicator extends AbstractHealthIndicator {

	/** How long a probe may wait for a connection. */
	static final long PROBE_MILLIS = 1000;

	/** How long the check waits for a pool it starts. */
	static final long START_MILLIS = 3000;

	/**
	 * The start this indicator began and that has not finished, so that checks never pile
	 * up.
	 */
	private final AtomicReference<CompletableFuture<Void>> starting = new AtomicReference<>();

	private final JdbcPool pool;

	private final Function<String, @Nullable JdbcPoolStats> stats;

	private final Function<String, @Nullable ServerCheck> serverCheck;

	/** Starts the pool on a daemon thread of its own: pool-health-start-{pool}-{n}. */
	private final SimpleAsyncTaskExecutor starter;

	/**
	 * Create a new instance.
	 * @param pool the pool
	 * @param stats the starter's statistics by HikariCP pool name (may answer null)
	 * @param serverCheck the start-up server check by pool role (may answer null)
	 */
	public JdbcPoolHealthIndicator(JdbcPool pool, Function<String, @Nullable JdbcPoolStats> stats,
			Function<String, @Nullable ServerCheck> serverCheck) {
		super("Health check of pool '" + pool.name() + "' failed");
		this.pool = pool;
		this.stats = stats;
		this.serverCheck = serverCheck;
		this.starter = new SimpleAsyncTaskExecutor("pool-health-start-" + pool.name() + "-");
		this.starter.setDaemon(true);
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
			startBounded(builder, dataSource);
			HikariPoolMXBean started = dataSource.getHikariPoolMXBean();
			details(builder, dataSource, (started != null) ? Snapshot.of(dataSource, started) : null);
			return;
		}
		Snapshot snapshot = Snapshot.of(dataSource, live);
		if (snapshot.total() == 0) {
			snapshot = probe(builder, dataSource, live, snapshot, "no open connection");
		}
		else if (snapshot.idle() == 0) {
			builder.up().withDetail("state", (snapshot.active() >= snapshot.max()) ? "saturated" : "busy");
		}
		else if (snapshot.waiting() > 0) {
			// Connections coming free are being handed to the callers that wait for them.
			builder.up().withDetail("state", "callers waiting");
		}
		else {
			snapshot = probe(builder, dataSource, live, snapshot, "idle connection checked");
		}
		details(builder, dataSource, snapshot);
	}

	/**
	 * Borrow for at most {@value #PROBE_MILLIS} ms, without counting the borrow as the
	 * application's. A timeout while the pool has connections means callers took them all
	 * meanwhile: busy, not down.
	 * @return the counts the state was decided on
	 */
	private Snapshot probe(Health.Builder builder, HikariDataSource dataSource, HikariPoolMXBean live, Snapshot before,
			String state) {
		try (Connection connection = JdbcPoolProbe.unrecorded(() -> ((HikariPool) live).getConnection(PROBE_MILLIS))) {
			if (connection.isValid((int) Math.max(1, PROBE_MILLIS / 1000))) {
				builder.up().withDetail("state", state);
			}
			else {
				builder.down().withDetail("state", "connection not valid");
			}
		}
		catch (SQLTransientConnectionException ex) {
			Snapshot after = Snapshot.of(dataSource, live);
			if (after.total() > 0 && after.idle() == 0) {
				builder.up().withDetail("state", (after.active() >= after.max()) ? "saturated" : "busy");
				return after;
			}
			down(builder, ex);
		}
		catch (Exception ex) {
			down(builder, ex);
		}
		return before;
	}

	/**
	 * A pool that has not started yet is started by its first borrow, which may take up
	 * to the acquire timeout when the server does not answer; the check waits
	 * {@value #START_MILLIS} ms for it and lets the start go on in the background.
	 */
	private void startBounded(Health.Builder builder, HikariDataSource dataSource) {
		CompletableFuture<Void> start = this.starting
			.updateAndGet((running) -> (running != null && !running.isDone()) ? running : start(dataSource));
		try {
			start.get(START_MILLIS, TimeUnit.MILLISECONDS);
			builder.up().withDetail("state", "started by the health check");
		}
		catch (TimeoutException ex) {
			builder.unknown().withDetail("state", "starting");
		}
		catch (ExecutionException ex) {
			down(builder, (ex.getCause().getCause() != null) ? ex.getCause().getCause() : ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			builder.unknown().withDetail("state", "interrupted");
		}
	}

	/**
	 * Start the pool on a daemon thread of its own, so that a server that never answers
	 * blocks only this pool's start.
	 */
	private CompletableFuture<Void> start(HikariDataSource dataSource) {
		CompletableFuture<Void> start = new CompletableFuture<>();
		this.starter.execute(() -> {
			try (Connection connection = JdbcPoolProbe.unrecorded(() -> BackgroundBorrow.getConnection(dataSource))) {
				if (!connection.isValid(1)) {
					throw new IllegalStateException("connection not valid");
				}
				start.complete(null);
			}
			catch (Exception ex) {
				start.completeExceptionally(new CompletionException(ex));
			}
		});
		return start;
	}

	private static void down(Health.Builder builder, Throwable ex) {
		builder.down()
			.withDetail("state", "database not reachable")
			.withDetail("error", Credentials.mask(describe(ex)));
	}

	private static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root == ex) ? String.valueOf(ex.getMessage())
				: ex.getMessage() + " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
	}

	private void details(Health.Builder builder, HikariDataSource dataSource, Snapshot live) {
		int max = dataSource.getMaximumPoolSize();
		int size = Math.max(dataSource.getMinimumIdle(), 0);
		builder.withDetail("pool", dataSource.getPoolName());
		builder.withDetail("size", size);
		builder.withDetail("overflow", max - size);
		builder.withDetail("max", max);
		if (live != null) {
			builder.withDetail("active", live.active());
			builder.withDetail("idle", live.idle());
			builder.withDetail("waiting", live.waiting());
			builder.withDetail("utilisation", String.format(Locale.ROOT, "%.2f", (double) live.active() / max));
		}
		JdbcPoolStats stats = this.stats.apply(dataSource.getPoolName());
		if (stats != null) {
			builder.withDetail("acquisitions", stats.acquisitions());
			builder.withDetail("connectionsCreated", stats.connectionsCreated());
			if (stats.acquisitions() > 0) {
				builder.withDetail("reuseRate", String.format(Locale.ROOT, "%.4f", stats.reuseRate()));
			}
			builder.withDetail("timeouts", stats.timeouts());
		}
		if (dataSource instanceof ManagedHikariDataSource managed && managed.getMaxWaiting() >= 0) {
			builder.withDetail("maxWaiting", managed.getMaxWaiting());
			builder.withDetail("refusedWaiting", managed.getRefusedWaitingCount());
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

	/**
	 * The pool's counts, each read once, so that the state and the details agree.
	 */
	private record Snapshot(int max, int active, int idle, int total, int waiting) {

		static Snapshot of(HikariDataSource dataSource, HikariPoolMXBean live) {
			int max = dataSource.getMaximumPoolSize();
			if (live == null) {
				return new Snapshot(max, 0, 0, 0, 0);
			}
			int active = live.getActiveConnections();
			int idle = live.getIdleConnections();
			return new Snapshot(max, active, idle, active + idle, live.getThreadsAwaitingConnection());
		}

	}

}
