package dev.pool.r2dbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pool.Unavailable;
import dev.pool.r2dbc.autoconfigure.PoolR2dbcAutoConfiguration;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.TcpProxy;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The R2DBC pool that {@code pool.*} tunes, on the local PostgreSQL through
 * r2dbc-postgresql: what r2dbc-pool and Spring Boot leave out, shown on a real server.
 * Each test's connections carry their own {@code application_name}, counted in
 * {@code pg_stat_activity}.
 */
class R2dbcPoolPostgresTests {

	/** Far beyond any acquire timeout of these tests: only a hang reaches it. */
	private static final Duration BOUND = Duration.ofSeconds(60);

	@BeforeAll
	static void postgres() {
		Databases.assumePostgres();
	}

	private static ApplicationContextRunner runner(int port, String applicationName) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class, PoolR2dbcAutoConfiguration.class))
			.withPropertyValues("spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:" + port + "/test?applicationName="
					+ applicationName, "spring.r2dbc.username=postgres");
	}

	private static ApplicationContextRunner runner(String applicationName) {
		return runner(Databases.POSTGRES_PORT, applicationName);
	}

	@Test
	void everyBackendTerminatedThen600QueriesNoneFails() {
		String name = "r2dbc-killed";
		runner(name).withPropertyValues("pool.size=3", "pool.overflow=2").run((context) -> {
			ConnectionPool pool = context.getBean(ConnectionPool.class);
			Flux.range(0, 50).flatMap((i) -> select(pool), 5).blockLast(BOUND);
			await().atMost(BOUND).until(() -> backends(name) >= 3);
			assertThat(Databases.terminatePostgresBackends(name)).isPositive();
			await().atMost(BOUND).until(() -> backends(name) == 0);
			AtomicInteger failures = new AtomicInteger();
			AtomicInteger answers = new AtomicInteger();
			Flux.range(0, 600)
				.flatMap((i) -> select(pool).doOnNext((one) -> answers.incrementAndGet()).onErrorResume((ex) -> {
					failures.incrementAndGet();
					return Mono.empty();
				}), 10)
				.blockLast(BOUND);
			assertThat(failures).hasValue(0);
			assertThat(answers).hasValue(600);
		});
	}

	@Test
	void maxWaitingZeroRefusesAtOnceWhatTheConnectionsCannotServe() {
		String name = "r2dbc-max-waiting";
		// A caller that waited would end with the acquire timeout, not the wait limit.
		runner(name)
			.withPropertyValues("pool.size=2", "pool.overflow=0", "pool.max-waiting=0", "pool.acquire-timeout=1s")
			.run((context) -> {
				ConnectionPool pool = context.getBean(ConnectionPool.class);
				pool.warmup().block(BOUND);
				List<Connection> held = new ArrayList<>();
				List<Throwable> refused = new ArrayList<>();
				// Ten callers at once; those served keep their connection until all ten
				// are answered.
				Flux.range(0, 10)
					.flatMap((i) -> Mono.from(pool.create())
						.doOnNext(held::add)
						.then()
						.onErrorResume((ex) -> Mono.fromRunnable(() -> refused.add(ex))), 10)
					.blockLast(BOUND);
				assertThat(held).hasSize(2);
				assertThat(refused).hasSize(8)
					.allSatisfy((ex) -> assertThat(ex).isInstanceOf(R2dbcWaitLimitException.class));
				assertThat(Unavailable.find(refused.get(0)).getRetryAfterHeader()).isEqualTo("1");
				assertThat(pool.getMetrics().orElseThrow().pendingAcquireSize()).isZero();
				Flux.fromIterable(held).flatMap(Connection::close).blockLast(BOUND);
			});
	}

	@Test
	void afterTheIdleTimeSizeConnectionsStayOpen() {
		String name = "r2dbc-idle";
		runner(name).withPropertyValues("pool.size=2", "pool.overflow=3", "pool.overflow-idle-timeout=10s")
			.run((context) -> {
				ConnectionPool pool = context.getBean(ConnectionPool.class);
				List<Connection> held = Flux.range(0, 5).flatMap((i) -> pool.create(), 5).collectList().block(BOUND);
				await().atMost(BOUND).until(() -> backends(name) == 5);
				Flux.fromIterable(held).flatMap(Connection::close).blockLast(BOUND);
				// The overflow closes once idle (r2dbc-pool would close all five) ...
				await().atMost(BOUND).until(() -> backends(name) == 2);
				// ... and the size stays over the next eviction runs (every 5s here).
				await().during(Duration.ofSeconds(12)).atMost(BOUND).until(() -> backends(name) == 2);
				assertThat(select(pool).block(BOUND)).isEqualTo(1);
			});
	}

	@Test
	void aServerThatStopsAnsweringDuringValidationCostsTheCallerTheAcquireTimeoutOnly() throws Exception {
		String name = "r2dbc-frozen";
		try (TcpProxy proxy = new TcpProxy(Databases.POSTGRES_PORT)) {
			runner(proxy.getPort(), name)
				.withPropertyValues("pool.size=1", "pool.overflow=1", "pool.acquire-timeout=2s")
				.run((context) -> {
					ConnectionPool pool = context.getBean(ConnectionPool.class);
					int frozenPid = backendPid(pool).block(BOUND);
					proxy.freeze();
					assertThatExceptionOfType(R2dbcTimeoutException.class)
						.isThrownBy(() -> backendPid(pool).block(BOUND))
						.withMessageContaining("pool.acquire-timeout");
					proxy.thaw();
					// Served again, never on the connection that did not answer.
					await().atMost(BOUND).untilAsserted(() -> assertThat(backendPid(pool).block(BOUND)).isNotNull());
					for (int i = 0; i < 5; i++) {
						assertThat(backendPid(pool).block(BOUND)).isNotEqualTo(frozenPid);
					}
					await().atMost(BOUND).until(() -> !backendPids(name).contains(frozenPid));
				});
		}
	}

	@Test
	void shutdownLeavesNoBackend() throws Exception {
		String name = "r2dbc-shutdown";
		List<ConnectionPool> pools = new ArrayList<>();
		runner(name).withPropertyValues("pool.size=3").run((context) -> {
			ConnectionPool pool = context.getBean(ConnectionPool.class);
			pools.add(pool);
			Flux.range(0, 20).flatMap((i) -> select(pool), 5).blockLast(BOUND);
			await().atMost(BOUND).until(() -> backends(name) >= 3);
		});
		assertThat(pools.get(0).isDisposed()).isTrue();
		await().atMost(BOUND).until(() -> backends(name) == 0);
	}

	private static Mono<Integer> select(ConnectionFactory pool) {
		return Mono.usingWhen(pool.create(),
				(connection) -> Mono.from(connection.createStatement("SELECT 1").execute())
					.flatMap((result) -> Mono.from(result.map((row, metadata) -> row.get(0, Integer.class)))),
				Connection::close);
	}

	private static Mono<Integer> backendPid(ConnectionFactory pool) {
		return Mono.usingWhen(pool.create(),
				(connection) -> Mono.from(connection.createStatement("SELECT pg_backend_pid()").execute())
					.flatMap((result) -> Mono.from(result.map((row, metadata) -> row.get(0, Integer.class)))),
				Connection::close);
	}

	private static int backends(String name) throws SQLException {
		return Databases.postgresBackends(name);
	}

	private static List<Integer> backendPids(String name) throws SQLException {
		try (java.sql.Connection connection = Databases.postgres();
				java.sql.PreparedStatement statement = connection
					.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
			statement.setString(1, name);
			List<Integer> pids = new ArrayList<>();
			try (java.sql.ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					pids.add(result.getInt(1));
				}
			}
			return pids;
		}
	}

}
