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

	private final ServerCheckRules rules;

	private final int instances;

	private final int reserved;

	private final PgBouncerProperties pgbouncer;

	ServerCheckRunner(PoolRootProperties properties, PgBouncerProperties pgbouncer) {
		this.rules = new ServerCheckRules(properties);
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
			JdbcPoolState now = state.get();
			this.rules.checkConnections(pool.name(), now.size(), now.max(), now.total(), facts, problems, details);
		}
		this.rules.checkIdleTimeout(pool.name(), Duration.ofMillis(dataSource.getMaxLifetime()),
				Duration.ofMillis(dataSource.getKeepaliveTime()), "HikariCP", facts, problems, details);
		List<String> messages = problems.stream().map(ServerCheckRules::describe).toList();
		Status status = problems.isEmpty() ? Status.OK : Status.MISCONFIGURED;
		return new Result(new ServerCheck(pool.name(), status, facts.product(), messages, details), problems);
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

	/**
	 * A check's public result, and its problems as exceptions for
	 * {@code pool.fail-on-misconfiguration=true}.
	 */
	record Result(ServerCheck check, List<PoolConfigurationException> problems) {
	}

}
