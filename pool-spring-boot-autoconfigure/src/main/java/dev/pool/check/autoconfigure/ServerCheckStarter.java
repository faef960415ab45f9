package dev.pool.check.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.pool.autoconfigure.PgBouncerProperties;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.autoconfigure.PoolRootProperties;
import dev.pool.check.ServerCheck;
import dev.pool.check.ServerChecks;
import dev.pool.jdbc.JdbcDataSources;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.JdbcPoolState;
import dev.pool.jdbc.JdbcPools;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Runs the server checks once every singleton exists: in the background, so a slow or
 * unreachable database never delays start-up; or, with
 * {@code pool.fail-on-misconfiguration=true}, before start-up completes, failing it on a
 * problem.
 */
class ServerCheckStarter implements SmartInitializingSingleton, DisposableBean {

	private final ServerChecks checks;

	private final Supplier<Map<String, DataSource>> dataSources;

	private final PoolRootProperties properties;

	private final PgBouncerProperties pgbouncer;

	private final Supplier<JdbcPools> pools;

	/** Runs the check in the background on a daemon thread: pool-server-check-{n}. */
	private final SimpleAsyncTaskExecutor background = new SimpleAsyncTaskExecutor("pool-server-check-");

	/** Set when the context closes: a check still running stops after its pool. */
	private volatile boolean closed;

	ServerCheckStarter(ServerChecks checks, Supplier<Map<String, DataSource>> dataSources,
			PoolRootProperties properties, PgBouncerProperties pgbouncer, Supplier<JdbcPools> pools) {
		this.checks = checks;
		this.dataSources = dataSources;
		this.properties = properties;
		this.pgbouncer = pgbouncer;
		this.pools = pools;
		this.background.setDaemon(true);
		this.background.setCancelRemainingTasksOnClose(true);
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<JdbcPool> pools = JdbcDataSources.pools(JdbcDataSources.of(this.dataSources.get()));
		if (this.properties.isFailOnMisconfiguration()) {
			List<PoolConfigurationException> problems = run(pools);
			if (!problems.isEmpty()) {
				throw problems.get(0);
			}
			return;
		}
		this.background.execute(() -> run(pools));
	}

	private List<PoolConfigurationException> run(List<JdbcPool> pools) {
		ServerCheckRunner runner = new ServerCheckRunner(this.properties, this.pgbouncer);
		List<ServerCheck> results = new ArrayList<>();
		List<PoolConfigurationException> problems = new ArrayList<>();
		try {
			for (JdbcPool pool : pools) {
				if (this.closed) {
					break;
				}
				// A pool this check starts after the context closed its DataSource is
				// shut down by the check (see BackgroundBorrow).
				ServerCheckRunner.Result result = runner.check(pool, () -> state(pool));
				if (this.closed) {
					break;
				}
				ServerCheckRules.log(result.check());
				results.add(result.check());
				problems.addAll(result.problems());
			}
		}
		finally {
			this.checks.complete(results);
		}
		return problems;
	}

	/**
	 * The pool's connections now, as {@link JdbcPools} describes them.
	 */
	private JdbcPoolState state(JdbcPool pool) {
		JdbcPools pools = this.pools.get();
		List<JdbcPoolDescription> described = (pools != null) ? pools.describe(pool.dataSource()) : List.of();
		return described.isEmpty() ? JdbcPoolState.of(pool.dataSource()) : described.get(0).state();
	}

	/**
	 * Stop a check still running: it checks no further pool, and logs nothing about a
	 * DataSource closed under it. The thread is not waited for (a server that does not
	 * answer would hold the close up to the pool's timeout).
	 */
	@Override
	public void destroy() {
		this.closed = true;
		// Interrupts the check's thread, without waiting for it.
		this.background.close();
	}

}
