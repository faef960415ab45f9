package dev.pool.check.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.pool.Durations;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.autoconfigure.PoolRootProperties;
import dev.pool.check.ServerCheck;
import dev.pool.check.ServerCheck.Status;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The rules of the server checks, for any kind of pool (JDBC or R2DBC): the connection
 * math against {@code max_connections} and the recycle against the server's idle timeout.
 * Each problem comes with its arithmetic and the values that would fit. No type of a pool
 * library here: the callers read the figures from their own read model.
 */
final class ServerCheckRules {

	private static final Log logger = LogFactory.getLog(ServerCheckRules.class);

	/** The floor of {@code pool.recycle} (HikariCP's, kept for R2DBC). */
	static final Duration RECYCLE_FLOOR = Duration.ofSeconds(30);

	private final int instances;

	private final int reserved;

	ServerCheckRules(PoolRootProperties properties) {
		this.instances = properties.getInstances();
		this.reserved = properties.getReservedConnections();
	}

	int instances() {
		return this.instances;
	}

	int reserved() {
		return this.reserved;
	}

	/**
	 * The connection math: {@code (size + overflow) x instances + reserved} against
	 * {@code max_connections}, and this pool against what other clients hold now.
	 * @param pool the pool's name, in the messages
	 * @param size connections the pool keeps open
	 * @param maximum the most connections it opens
	 * @param open connections it has open now
	 * @param facts what the server said
	 * @param problems collects what does not fit
	 * @param details collects the figures
	 */
	void checkConnections(String pool, int size, int maximum, int open, ServerFacts facts,
			List<PoolConfigurationException> problems, Map<String, Object> details) {
		int overflow = maximum - size;
		int needed = maximum * this.instances + this.reserved;
		String arithmetic = "(size " + size + " + overflow " + overflow + ") x " + this.instances
				+ ((this.instances == 1) ? " instance" : " instances") + " + " + this.reserved + " reserved = "
				+ needed;
		details.put("maxConnections", facts.maxConnections());
		details.put("connectionsNeeded", needed);
		details.put("connectionMath", arithmetic + " of max_connections " + facts.maxConnections());
		if (needed > facts.maxConnections()) {
			int budget = (facts.maxConnections() - this.reserved) / this.instances;
			String fit = (budget < 1)
					? "no pool fits: max_connections " + facts.maxConnections() + " - " + this.reserved
							+ " reserved leaves less than one connection per instance"
					: (size <= budget) ? "pool.size=" + size + " and pool.overflow=" + (budget - size)
							: "pool.size=" + budget + " and pool.overflow=0";
			problems.add(new PoolConfigurationException("pool.size and pool.overflow (pool '" + pool + "')",
					arithmetic + " connections",
					"at most " + facts.product() + "'s max_connections = " + facts.maxConnections(),
					"Set " + fit + " (or fewer), raise max_connections to " + needed
							+ ", or put PgBouncer in front of the server. Until then new connections fail with "
							+ "'too many clients' (PostgreSQL) or 'Too many connections' (MariaDB/MySQL)."));
		}
		int others = Math.max(facts.clientConnections() - open, 0);
		details.put("otherClientConnections", others);
		if (this.instances == 1 && others + maximum > facts.maxConnections()) {
			int left = facts.maxConnections() - others;
			problems.add(new PoolConfigurationException("pool.overflow (pool '" + pool + "')",
					"up to " + maximum + " connections",
					"at most " + Math.max(left, 0) + ": other clients hold " + others + " of max_connections "
							+ facts.maxConnections() + " right now",
					"Lower pool.size + pool.overflow to " + Math.max(left, 0)
							+ " or less, or free connections held by other clients."));
		}
	}

	/**
	 * The idle timeout: an idle pooled connection must be recycled (or pinged) before the
	 * server closes it.
	 * @param pool the pool's name, in the messages
	 * @param recycle the pool's recycle, {@link Duration#ZERO} for never
	 * @param keepalive how often an idle connection is pinged, {@link Duration#ZERO} for
	 * never, null when the pool has no keepalive
	 * @param library who recycles: {@code HikariCP}, {@code r2dbc-pool}
	 * @param facts what the server said
	 * @param problems collects what does not fit
	 * @param details collects the figures
	 */
	void checkIdleTimeout(String pool, Duration recycle, @Nullable Duration keepalive, String library,
			ServerFacts facts, List<PoolConfigurationException> problems, Map<String, Object> details) {
		Duration serverIdle = facts.idleTimeout();
		details.put(facts.idleTimeoutName(), Durations.format(serverIdle));
		if (facts.idleInTransactionTimeout() != null) {
			details.put("idle_in_transaction_session_timeout", Durations.format(facts.idleInTransactionTimeout()));
		}
		details.put("recycle", Durations.format(recycle));
		if (keepalive != null) {
			details.put("keepalive", Durations.format(keepalive));
		}
		if (serverIdle.isZero()) {
			return;
		}
		boolean recycledInTime = !recycle.isZero() && recycle.compareTo(serverIdle) < 0;
		boolean pingedInTime = keepalive != null && !keepalive.isZero() && keepalive.compareTo(serverIdle) < 0;
		if (recycledInTime || pingedInTime) {
			return;
		}
		Duration margin = (serverIdle.compareTo(Duration.ofMinutes(1)) > 0) ? Duration.ofSeconds(30)
				: Duration.ofSeconds(10);
		Duration suggested = serverIdle.minus(margin);
		String action = (suggested.compareTo(RECYCLE_FLOOR) >= 0)
				? "Set pool.recycle=" + Durations.format(suggested) + " (below " + facts.idleTimeoutName() + " "
						+ Durations.format(serverIdle) + "), or raise the server's " + facts.idleTimeoutName() + "."
				: "Raise the server's " + facts.idleTimeoutName() + " above 40s: " + library
						+ ((keepalive != null) ? " recycles and pings" : " recycles")
						+ " no more often than every 30s. Until then keep pool.pre-ping=true, which replaces "
						+ "connections the server closed before they reach a caller.";
		String value = Durations.format(recycle)
				+ ((keepalive != null) ? " (and " + library + " keepalive " + Durations.format(keepalive) + ")" : "");
		problems.add(new PoolConfigurationException("pool.recycle (pool '" + pool + "')", value,
				"below the server's " + facts.idleTimeoutName() + " = " + Durations.format(serverIdle)
						+ ": an idle pooled connection is closed by the server before the pool recycles or pings it",
				action));
	}

	/**
	 * Log a check's result: a WARN per problem, with its arithmetic.
	 * @param check the result
	 */
	static void log(ServerCheck check) {
		String prefix = "pool: server check of pool '" + check.pool() + "' (" + check.database() + ")";
		if (check.status() == Status.MISCONFIGURED) {
			check.problems().forEach((problem) -> logger.warn(prefix + ": " + problem));
		}
		else if (check.status() == Status.UNKNOWN) {
			logger.warn(prefix + ": not checked. It runs once at start-up; the pool itself retries.");
		}
		else if (check.status() == Status.SKIPPED) {
			logger.info("pool: server check of pool '" + check.pool() + "' skipped: " + check.database());
		}
		else {
			logger.info(prefix + ": fits. " + check.details().get("connectionMath"));
		}
	}

	static String describe(PoolConfigurationException problem) {
		return problem.getKey() + " = " + problem.getValue() + ", but it must be " + problem.getAllowed() + ". "
				+ problem.getAction();
	}

}
