package dev.pool.jdbc.health;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.JdbcPool;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.TcpProxy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A health check's first call starts a pool that has not started, on a thread of its own.
 * The pool's DataSource closes while that start waits on a slow server (a proxy on
 * 127.0.0.1 that passes nothing on until released); the pool starts after the close, and
 * must not outlive it.
 */
class JdbcPoolHealthShutdownTests {

	private static final Duration CLOSING = Duration.ofSeconds(20);

	private final String name = "pool-health-close-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void aPoolTheHealthCheckStartsAfterItsDataSourceClosedIsShutDown() throws Exception {
		Databases.assumePostgres();
		try (TcpProxy slow = new TcpProxy(Databases.POSTGRES_PORT)) {
			slow.holdAccepts();
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + slow.getPort() + "/test?ApplicationName=" + this.name);
			pool.setUsername(Databases.POSTGRES_USER);
			pool.setPoolName(this.name);
			pool.setMinimumIdle(2);
			pool.setMaximumPoolSize(2);
			Health health = new JdbcPoolHealthIndicator(new JdbcPool(JdbcPool.PRIMARY, pool),
					() -> JdbcPoolHealthIndicatorTests.observed(pool), (role) -> null)
				.health();
			assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
			await().atMost(CLOSING).until(() -> slow.held() > 0);
			pool.close();
			slow.releaseAccepts();
			// The pool starts now, after its DataSource was closed.
			await().atMost(CLOSING).until(() -> pool.getHikariPoolMXBean() != null);
			await().atMost(CLOSING).untilAsserted(() -> {
				assertThat(threadsNamed(this.name)).as("threads of the pool").isEmpty();
				assertThat(Databases.postgresBackends(this.name)).as("backends of the pool").isZero();
			});
		}
	}

	/**
	 * HikariCP names its threads after the pool ({@code <pool> housekeeper}, ...); the
	 * health check's own is {@code pool-health-start-primary}.
	 */
	private static List<String> threadsNamed(String poolName) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.contains(poolName))
			.toList();
	}

}
