package dev.pool.check.autoconfigure;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.Credentials;
import dev.pool.Durations;
import dev.pool.autoconfigure.PgBouncerProperties;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.autoconfigure.PoolRootProperties;
import dev.pool.check.ServerCheck;
import dev.pool.check.ServerCheck.Status;
import dev.pool.jdbc.BackgroundBorrow;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolState;

/**
 * Checks one pool against its database server: the connection math and the idle timeout.
 * Every problem comes with its arithmetic and the values that would fit.
 */
class ServerCheckRunner {

	/** HikariCP's floor for maxLifetime and keepaliveTime. */
	private static final Duration HIKARI_FLOOR = Duration.ofSeconds(30);

	private final int instances;

	private final int reserved;

	private final PgBouncerProperties pgbouncer;

	ServerCheckRunner(PoolRootProperties properties, PgBouncerProperties pgbouncer) {
		this.instances = properties.getInstances();
		this.reserved = properties.getReservedConnections();
		this.pgbouncer = pgbouncer;
	}

	/**
	 * Check one pool.
	 * @param pool the pool
	 * @param state its connections and sizes now, as health and the {@code pools}
	 * endpoint show them
	 * @return the result
	 */
	Result check(JdbcPool pool, Supplier<JdbcPoolState> state) {
		HikariDataSource dataSource = pool.dataSource();
		if (!ServerFacts.isCheckable(dataSource.getJdbcUrl())) {
			String what = (dataSource.getJdbcUrl() != null && dataSource.getJdbcUrl().startsWith("jdbc:sqlite:"))
					? "SQLite is embedded: no server to check" : "not PostgreSQL, MariaDB or MySQL: not checked";
			return new Result(new ServerCheck(pool.name(), Status.SKIPPED, what, List.of(), Map.of()), List.of());
		}
		ServerFacts facts;
		try (Connection connection = BackgroundBorrow.getConnection(dataSource)) {
			facts = ServerFacts.read(connection);
		}
		catch (Exception ex) {
			return new Result(
					new ServerCheck(pool.name(), Status.UNKNOWN,
							"server not reachable: " + Credentials.mask(ex.getMessage()), List.of(), Map.of()),
					List.of());
		}
		List<PoolConfigurationException> problems = new ArrayList<>();
		Map<String, Object> details = new LinkedHashMap<>();
		if (this.pgbouncer.isEnabled()) {
			checkPgBouncer(pool, state.get(), facts, problems, details);
		}
		else {
			checkConnections(pool, state.get(), facts, problems, details);
		}
		checkIdleTimeout(pool, facts, problems, details);
		List<String> messages = problems.stream().map(ServerCheckRunner::describe).toList();
		Status status = problems.isEmpty() ? Status.OK : Status.MISCONFIGURED;
		return new Result(new ServerCheck(pool.name(), status, facts.product(), messages, details), problems);
	}

	private void checkConnections(JdbcPool pool, JdbcPoolState state, ServerFacts facts,
			List<PoolConfigurationException> problems, Map<String, Object> details) {
		int size = state.size();
		int maximum = state.max();
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
			problems.add(new PoolConfigurationException("pool.size and pool.overflow (pool '" + pool.name() + "')",
					arithmetic + " connections",
					"at most " + facts.product() + "'s max_connections = " + facts.maxConnections(),
					"Set " + fit + " (or fewer), raise max_connections to " + needed
							+ ", or put PgBouncer in front of the server. Until then new connections fail with "
							+ "'too many clients' (PostgreSQL) or 'Too many connections' (MariaDB/MySQL)."));
		}
		int ours = state.total();
		int others = Math.max(facts.clientConnections() - ours, 0);
		details.put("otherClientConnections", others);
		if (this.instances == 1 && others + maximum > facts.maxConnections()) {
			int left = facts.maxConnections() - others;
			problems.add(new PoolConfigurationException("pool.overflow (pool '" + pool.name() + "')",
					"up to " + maximum + " connections",
					"at most " + Math.max(left, 0) + ": other clients hold " + others + " of max_connections "
							+ facts.maxConnections() + " right now",
					"Lower pool.size + pool.overflow to " + Math.max(left, 0)
							+ " or less, or free connections held by other clients."));
		}
	}

	/**
	 * Behind PgBouncer the pools of every instance share PgBouncer's client limit, and
	 * PgBouncer's server pool must fit the server.
	 */
	private void checkPgBouncer(JdbcPool pool, JdbcPoolState state, ServerFacts facts,
			List<PoolConfigurationException> problems, Map<String, Object> details) {
		int maximum = state.max();
		int clients = maximum * this.instances;
		int limit = this.pgbouncer.getMaxClientConnections();
		String clientMath = "(size + overflow) " + maximum + " x " + this.instances + " instances = " + clients
				+ " of PgBouncer's max_client_conn " + limit;
		int server = this.pgbouncer.getPoolSize() + this.reserved;
		String serverMath = "PgBouncer default_pool_size " + this.pgbouncer.getPoolSize() + " + " + this.reserved
				+ " reserved = " + server + " of max_connections " + facts.maxConnections();
		details.put("maxConnections", facts.maxConnections());
		details.put("connectionMath", clientMath + "; " + serverMath);
		if (clients > limit) {
			problems.add(new PoolConfigurationException("pool.size and pool.overflow (pool '" + pool.name() + "')",
					clientMath, "at most pool.pgbouncer.max-client-connections = " + limit,
					"Set pool.size + pool.overflow to " + (limit / this.instances)
							+ " or less, or raise PgBouncer's max_client_conn (and pool.pgbouncer.max-client-connections)."));
		}
		if (server > facts.maxConnections()) {
			problems.add(new PoolConfigurationException("pool.pgbouncer.pool-size", serverMath,
					"at most " + facts.product() + "'s max_connections = " + facts.maxConnections(),
					"Lower PgBouncer's default_pool_size (and pool.pgbouncer.pool-size) to "
							+ Math.max(facts.maxConnections() - this.reserved, 0)
							+ " or less, or raise max_connections."));
		}
	}

	private void checkIdleTimeout(JdbcPool pool, ServerFacts facts, List<PoolConfigurationException> problems,
			Map<String, Object> details) {
		Duration serverIdle = facts.idleTimeout();
		details.put(facts.idleTimeoutName(), Durations.format(serverIdle));
		if (facts.idleInTransactionTimeout() != null) {
			details.put("idle_in_transaction_session_timeout", Durations.format(facts.idleInTransactionTimeout()));
		}
		HikariDataSource dataSource = pool.dataSource();
		Duration recycle = Duration.ofMillis(dataSource.getMaxLifetime());
		Duration keepalive = Duration.ofMillis(dataSource.getKeepaliveTime());
		details.put("recycle", Durations.format(recycle));
		details.put("keepalive", Durations.format(keepalive));
		if (serverIdle.isZero()) {
			return;
		}
		boolean recycledInTime = !recycle.isZero() && recycle.compareTo(serverIdle) < 0;
		boolean pingedInTime = !keepalive.isZero() && keepalive.compareTo(serverIdle) < 0;
		if (recycledInTime || pingedInTime) {
			return;
		}
		Duration margin = (serverIdle.compareTo(Duration.ofMinutes(1)) > 0) ? Duration.ofSeconds(30)
				: Duration.ofSeconds(10);
		Duration suggested = serverIdle.minus(margin);
		String action = (suggested.compareTo(HIKARI_FLOOR) >= 0)
				? "Set pool.recycle=" + Durations.format(suggested) + " (below " + facts.idleTimeoutName() + " "
						+ Durations.format(serverIdle) + "), or raise the server's " + facts.idleTimeoutName() + "."
				: "Raise the server's " + facts.idleTimeoutName() + " above 40s: HikariCP recycles and pings no more "
						+ "often than every 30s. Until then keep pool.pre-ping=true, which replaces connections the "
						+ "server closed before they reach a caller.";
		problems.add(new PoolConfigurationException("pool.recycle (pool '" + pool.name() + "')",
				Durations.format(recycle) + " (and HikariCP keepalive " + Durations.format(keepalive) + ")",
				"below the server's " + facts.idleTimeoutName() + " = " + Durations.format(serverIdle)
						+ ": an idle pooled connection is closed by the server before the pool recycles or pings it",
				action));
	}

	static String describe(PoolConfigurationException problem) {
		return problem.getKey() + " = " + problem.getValue() + ", but it must be " + problem.getAllowed() + ". "
				+ problem.getAction();
	}

	/**
	 * A check's public result, and its problems as exceptions for
	 * {@code pool.fail-on-misconfiguration=true}.
	 */
	record Result(ServerCheck check, List<PoolConfigurationException> problems) {
	}

}
