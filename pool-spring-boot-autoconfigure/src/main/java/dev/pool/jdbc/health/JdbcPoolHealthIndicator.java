package dev.pool.jdbc.health;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pool.Credentials;
import dev.pool.check.ServerCheck;
import dev.pool.jdbc.BackgroundBorrow;
import dev.pool.jdbc.ConnectionWaitLimitException;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.JdbcPoolProbe;
import dev.pool.jdbc.JdbcPoolState;
import dev.pool.jdbc.JdbcPoolStats;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.RotatingCredentials;
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
 * and checks it, waiting at most {@value #PROBE_MILLIS} ms (if callers take every
 * connection meanwhile, it is busy, not down); with every connection busy, the busy
 * connections are the evidence; with no connection at all, it asks the pool for one,
 * waiting at most {@value #PROBE_MILLIS} ms, which tells whether the server answers. The
 * borrow runs on a thread of its own, one at a time, and is let go on if it takes longer;
 * its borrows are not counted in the pool's statistics. What it shows of the pool (its
 * sizes, its connections now, its statistics) is the pool's {@link JdbcPoolDescription},
 * as the {@code pools} endpoint and the meters show it.
 */
public class JdbcPoolHealthIndicator extends AbstractHealthIndicator {

	/** How long a probe waits for a connection. */
	static final long PROBE_MILLIS = 1000;

	/** How long the check waits for a pool it starts. */
	static final long START_MILLIS = 3000;

	/**
	 * The borrow this indicator began and that has not finished, so that checks never
	 * pile up: true when the connection it got was valid.
	 */
	private final AtomicReference<CompletableFuture<Boolean>> borrowing = new AtomicReference<>();

	private final JdbcPool pool;

	private final Supplier<JdbcPoolDescription> description;

	private final Function<String, @Nullable ServerCheck> serverCheck;

	/** Starts the pool on a daemon thread of its own: pool-health-start-{pool}-{n}. */
	private final SimpleAsyncTaskExecutor starter;

	/**
	 * Create a new instance.
	 * @param pool the pool, named as health shows it
	 * @param description describes the pool now (from
	 * {@link dev.pool.jdbc.JdbcPools#describe(javax.sql.DataSource)})
	 * @param serverCheck the start-up server check by pool name (may answer null)
	 */
	public JdbcPoolHealthIndicator(JdbcPool pool, Supplier<JdbcPoolDescription> description,
			Function<String, ServerCheck> serverCheck) {
		super("Health check of pool '" + pool.name() + "' failed");
		this.pool = pool;
		this.description = description;
		this.serverCheck = serverCheck;
		this.starter = new SimpleAsyncTaskExecutor("pool-health-start-" + pool.name() + "-");
		this.starter.setDaemon(true);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		JdbcPoolDescription pool = this.description.get();
		JdbcPoolState state = pool.state();
		switch (state.status()) {
			case CLOSED -> builder.outOfService().withDetail("state", "closed");
			case NOT_STARTED -> {
				// The first borrow starts the pool, which may take up to the acquire
				// timeout when the server does not answer.
				borrow(builder, pool.dataSource(), START_MILLIS, "started by the health check");
				details(builder, this.description.get());
			}
			case RUNNING -> {
				if (state.total() == 0) {
					pool = probe(builder, pool, "no open connection");
				}
				else if (state.idle() == 0) {
					builder.up().withDetail("state", busy(state));
				}
				else if (state.waiting() > 0) {
					// Connections coming free are being handed to the callers that wait
					// for them.
					builder.up().withDetail("state", "callers waiting");
				}
				else {
					pool = probe(builder, pool, "idle connection checked");
				}
				details(builder, pool);
			}
		}
	}

	private static String busy(JdbcPoolState state) {
		return (state.active() >= state.max()) ? "saturated" : "busy";
	}

	/**
	 * Borrow for at most {@value #PROBE_MILLIS} ms. A borrow that does not come back in
	 * time while the pool has connections means callers took them all meanwhile: busy,
	 * not down.
	 * @return the description the state was decided on
	 */
	private JdbcPoolDescription probe(Health.Builder builder, JdbcPoolDescription before, String state) {
		Borrow borrow = borrow(builder, before.dataSource(), PROBE_MILLIS, state);
		if (borrow == Borrow.DONE) {
			return before;
		}
		JdbcPoolDescription after = this.description.get();
		JdbcPoolState now = after.state();
		// The pool has connections, and refused the borrow (callers fill the waiting
		// room, or hold every connection past the acquire timeout) or callers took them
		// all meanwhile (an idle one may show for an instant while it is handed to a
		// caller that waits): busy, not down.
		if (now.total() > 0 && (borrow == Borrow.REFUSED || now.idle() == 0 || now.waiting() > 0)) {
			builder.up().withDetail("state", busy(now));
			return after;
		}
		builder.down()
			.withDetail("state", "database not reachable")
			.withDetail("error", "no connection within " + PROBE_MILLIS + " ms");
		return after;
	}

	/**
	 * Borrow and check a connection on a thread of its own, waiting at most the given
	 * time: a server that never answers blocks only that thread, which lets the
	 * connection go once it comes. A borrow still running from an earlier check is waited
	 * for instead of starting another.
	 * @return whether the outcome is in the builder ({@link Borrow#DONE}), or the borrow
	 * is still running or was {@linkplain #isRefusal refused} (the builder then says
	 * {@code starting}, UNKNOWN)
	 */
	private Borrow borrow(Health.Builder builder, HikariDataSource dataSource, long millis, String state) {
		CompletableFuture<Boolean> borrow = this.borrowing
			.updateAndGet((running) -> (running != null && !running.isDone()) ? running : start(dataSource));
		try {
			if (borrow.get(millis, TimeUnit.MILLISECONDS)) {
				builder.up().withDetail("state", state);
			}
			else {
				builder.down().withDetail("state", "connection not valid");
			}
			return Borrow.DONE;
		}
		catch (TimeoutException ex) {
			builder.unknown().withDetail("state", "starting");
			return Borrow.STILL_RUNNING;
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (isRefusal(cause)) {
				builder.unknown().withDetail("state", "starting");
				return Borrow.REFUSED;
			}
			down(builder, (cause.getCause() != null) ? cause.getCause() : cause);
			return Borrow.DONE;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			builder.unknown().withDetail("state", "interrupted");
			return Borrow.DONE;
		}
	}

	/**
	 * Borrow on a daemon thread of this pool's own executor, so that a server that never
	 * answers blocks only this pool's check.
	 */
	private CompletableFuture<Boolean> start(HikariDataSource dataSource) {
		CompletableFuture<Boolean> borrow = new CompletableFuture<>();
		this.starter.execute(() -> {
			try (Connection connection = JdbcPoolProbe.unrecorded(() -> BackgroundBorrow.getConnection(dataSource))) {
				borrow.complete(connection.isValid((int) Math.max(1, PROBE_MILLIS / 1000)));
			}
			catch (Exception ex) {
				borrow.completeExceptionally(ex);
			}
		});
		return borrow;
	}

	/**
	 * Whether the pool turned the borrow down without a failed connection behind it: its
	 * waiting room was full, or HikariCP's acquire timeout passed with no connection
	 * attempt failing (HikariCP gives its last failed attempt as the cause).
	 */
	private static boolean isRefusal(Throwable ex) {
		return ex instanceof ConnectionWaitLimitException
				|| (ex instanceof SQLTransientConnectionException && ex.getCause() == null);
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

	private void details(Health.Builder builder, JdbcPoolDescription pool) {
		JdbcPoolState state = pool.state();
		builder.withDetail("pool", String.valueOf(pool.poolName()));
		builder.withDetail("size", state.size());
		builder.withDetail("overflow", state.overflow());
		builder.withDetail("max", state.max());
		if (state.isRunning()) {
			builder.withDetail("active", state.active());
			builder.withDetail("idle", state.idle());
			builder.withDetail("waiting", state.waiting());
			builder.withDetail("utilisation", String.format(Locale.ROOT, "%.2f", state.utilisation()));
		}
		JdbcPoolStats stats = pool.stats();
		if (stats != null) {
			long acquisitions = stats.acquisitions();
			builder.withDetail("acquisitions", acquisitions);
			builder.withDetail("connectionsCreated", stats.connectionsCreated());
			if (acquisitions > 0) {
				builder.withDetail("reuseRate", String.format(Locale.ROOT, "%.4f", stats.reuseRate()));
			}
			builder.withDetail("timeouts", stats.timeouts());
		}
		if (pool.dataSource() instanceof ManagedHikariDataSource managed && managed.getMaxWaiting() >= 0) {
			builder.withDetail("maxWaiting", managed.getMaxWaiting());
			builder.withDetail("refusedWaiting", managed.getRefusedWaitingCount());
		}
		if (RotatingCredentials.of(pool.dataSource()) != null) {
			builder.withDetail("credentials", RotatingCredentials.describe(pool.dataSource()));
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

	/**
	 * What became of a borrow of the check.
	 */
	private enum Borrow {

		/** The outcome is in the builder. */
		DONE,

		/** The borrow did not come back in time; it goes on. */
		STILL_RUNNING,

		/** The pool turned it down with no failed connection: callers hold them all. */
		REFUSED

	}

}
