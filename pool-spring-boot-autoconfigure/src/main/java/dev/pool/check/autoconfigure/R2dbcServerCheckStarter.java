package dev.pool.check.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.pool.Credentials;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.autoconfigure.PoolRootProperties;
import dev.pool.check.ServerCheck;
import dev.pool.check.ServerCheck.Status;
import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.r2dbc.R2dbcPoolDescription;
import dev.pool.r2dbc.R2dbcPoolStats;
import dev.pool.r2dbc.R2dbcPools;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Runs the server checks of the R2DBC pools the starter tunes, once every singleton
 * exists: the same rules as for JDBC ({@link ServerCheckRules}), read with a reactive
 * query on one of the pool's own connections and bounded by a timeout. The check runs on
 * the driver's threads, so start-up does not wait for it; with
 * {@code pool.fail-on-misconfiguration=true} start-up waits and fails on a problem. The
 * result goes on the pool ({@link ManagedConnectionPool#getServerCheck()}), where health
 * and the {@code pools} endpoint read it.
 */
class R2dbcServerCheckStarter implements SmartInitializingSingleton, DisposableBean {

	/** The longest the check waits for its connection and the server's answer. */
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final R2dbcPools pools;

	private final ServerCheckRules rules;

	private final boolean failOnMisconfiguration;

	private volatile @Nullable Disposable running;

	R2dbcServerCheckStarter(R2dbcPools pools, PoolRootProperties properties) {
		this.pools = pools;
		this.rules = new ServerCheckRules(properties);
		this.failOnMisconfiguration = properties.isFailOnMisconfiguration();
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<R2dbcPoolDescription> checked = this.pools.describe()
			.stream()
			.filter((pool) -> pool.pool() instanceof ManagedConnectionPool)
			.toList();
		if (checked.isEmpty()) {
			return;
		}
		Flux<Result> results = Flux.fromIterable(checked).concatMap(this::check).doOnNext((result) -> {
			((ManagedConnectionPool) result.pool().pool()).setServerCheck(result.check());
			ServerCheckRules.log(result.check());
		});
		if (this.failOnMisconfiguration) {
			List<Result> done = results.collectList().block();
			for (Result result : (done != null) ? done : List.<Result>of()) {
				if (!result.problems().isEmpty()) {
					throw result.problems().get(0);
				}
			}
			return;
		}
		this.running = results.subscribe();
	}

	private Mono<Result> check(R2dbcPoolDescription pool) {
		String product = pool.pool().getMetadata().getName();
		String lower = product.toLowerCase(Locale.ROOT);
		boolean postgres = lower.contains("postgres");
		if (!postgres && !lower.contains("maria") && !lower.contains("mysql")) {
			return Mono.just(new Result(pool,
					new ServerCheck(pool.name(), Status.SKIPPED,
							product + ": not PostgreSQL, MariaDB or MySQL: not checked", List.of(), Map.of()),
					List.of()));
		}
		return Mono.usingWhen(pool.pool().create(), (connection) -> read(connection, postgres), Connection::close)
			.timeout(TIMEOUT)
			.map((facts) -> check(pool, facts))
			.onErrorResume((ex) -> Mono.just(new Result(pool, new ServerCheck(pool.name(), Status.UNKNOWN,
					"server not reachable: " + Credentials.mask(String.valueOf(ex.getMessage())), List.of(), Map.of()),
					List.of())));
	}

	private static Mono<ServerFacts> read(Connection connection, boolean postgres) {
		String product = connection.getMetadata().getDatabaseProductName() + " "
				+ connection.getMetadata().getDatabaseVersion();
		return Flux.from(connection.createStatement(postgres ? ServerFacts.POSTGRESQL : ServerFacts.MARIADB).execute())
			.concatMap((result) -> result.map((row) -> facts(product, row, postgres)))
			.next();
	}

	private static ServerFacts facts(String product, Readable row, boolean postgres) {
		if (postgres) {
			return new ServerFacts(product, number(row, 0).intValue(), number(row, 1).intValue(),
					"idle_session_timeout", Duration.ofMillis(number(row, 2).longValue()),
					Duration.ofMillis(number(row, 3).longValue()));
		}
		return new ServerFacts(product, number(row, 0).intValue(), number(row, 1).intValue(), "wait_timeout",
				Duration.ofSeconds(number(row, 2).longValue()), null);
	}

	private static Number number(Readable row, int index) {
		Object value = row.get(index);
		if (value == null) {
			return 0;
		}
		return (value instanceof Number number) ? number : Long.parseLong(String.valueOf(value));
	}

	private Result check(R2dbcPoolDescription pool, ServerFacts facts) {
		ManagedConnectionPool managed = (ManagedConnectionPool) pool.pool();
		ManagedConnectionPool.Limits limits = managed.getLimits();
		R2dbcPoolStats stats = pool.stats();
		int maximum = (stats != null) ? stats.maxAllocated() : limits.size();
		int open = (stats != null) ? stats.allocated() : 0;
		List<PoolConfigurationException> problems = new ArrayList<>();
		Map<String, Object> details = new LinkedHashMap<>();
		this.rules.checkConnections(pool.name(), limits.size(), maximum, open, facts, problems, details);
		this.rules.checkIdleTimeout(pool.name(), (limits.recycle() != null) ? limits.recycle() : Duration.ZERO, null,
				"r2dbc-pool", facts, problems, details);
		List<String> messages = problems.stream().map(ServerCheckRules::describe).toList();
		Status status = problems.isEmpty() ? Status.OK : Status.MISCONFIGURED;
		return new Result(pool, new ServerCheck(pool.name(), status, facts.product(), messages, details), problems);
	}

	@Override
	public void destroy() {
		Disposable running = this.running;
		if (running != null) {
			running.dispose();
		}
	}

	private record Result(R2dbcPoolDescription pool, ServerCheck check, List<PoolConfigurationException> problems) {
	}

}
