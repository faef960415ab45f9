package dev.pool.check.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.TcpProxy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The start-up server check runs in the background and starts the pool with its first
 * borrow. The application closes while that borrow waits on a slow server (a proxy on
 * 127.0.0.1 that passes nothing on until released); the pool starts after the close, and
 * must not outlive it.
 */
class ServerCheckShutdownTests {

	private static final Duration CLOSING = Duration.ofSeconds(20);

	private final String name = "pool-check-close-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				ServerCheckAutoConfiguration.class))
		.withPropertyValues("spring.datasource.username=" + Databases.POSTGRES_USER,
				"spring.datasource.hikari.pool-name=" + this.name, "pool.size=2", "pool.acquire-timeout=15s");

	@Test
	void aPoolTheServerCheckStartsAfterTheContextClosedIsShutDown() throws Exception {
		Databases.assumePostgres();
		try (TcpProxy slow = new TcpProxy(Databases.POSTGRES_PORT)) {
			slow.holdAccepts();
			AtomicReference<HikariDataSource> pool = new AtomicReference<>();
			this.runner
				.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:" + slow.getPort()
						+ "/test?ApplicationName=" + this.name)
				.run((context) -> {
					pool.set(context.getBean(HikariDataSource.class));
					// The check's first borrow waits on the server.
					await().atMost(CLOSING).until(() -> slow.held() > 0);
					context.close();
				});
			slow.releaseAccepts();
			// The pool starts now, after its DataSource was closed.
			await().atMost(CLOSING).until(() -> pool.get().getHikariPoolMXBean() != null);
			await().atMost(CLOSING).untilAsserted(() -> {
				assertThat(threadsNamed(this.name)).as("threads of the pool").isEmpty();
				assertThat(Databases.postgresBackends(this.name)).as("backends of the pool").isZero();
			});
		}
	}

	/**
	 * HikariCP names its threads after the pool: {@code <pool> housekeeper},
	 * {@code <pool> connection adder}, {@code <pool> connection closer}.
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
