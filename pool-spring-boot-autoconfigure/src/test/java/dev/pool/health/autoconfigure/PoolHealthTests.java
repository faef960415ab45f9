package dev.pool.health.autoconfigure;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.jdbc.autoconfigure.health.JdbcPoolHealthContributorAutoConfiguration;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.ThrowawayPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code pool} health component against real databases: UP under load with the
 * saturation in the details, DOWN only when the database cannot be reached.
 */
class PoolHealthTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class, ServerCheckAutoConfiguration.class,
				JdbcPoolHealthContributorAutoConfiguration.class, PoolHealthContributorAutoConfiguration.class));

	private ApplicationContextRunner postgres() {
		return this.runner.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL,
				"spring.datasource.username=" + Databases.POSTGRES_USER);
	}

	@Test
	void saturatedPoolStaysUpWithTheSaturationInItsDetailsAndDoesNotQueue() {
		Databases.assumePostgres();
		postgres().withPropertyValues("pool.size=2", "pool.overflow=0", "pool.acquire-timeout=20s").run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			HikariDataSource hikari = context.getBean(HikariDataSource.class);
			// The start-up server check borrows a connection too: let it finish first.
			context.getBean(ServerChecks.class).await(Duration.ofSeconds(30));
			List<Connection> held = new ArrayList<>(List.of(dataSource.getConnection(), dataSource.getConnection()));
			ExecutorService waiters = Executors.newFixedThreadPool(3);
			try {
				for (int i = 0; i < 3; i++) {
					waiters.submit(() -> {
						try (Connection connection = dataSource.getConnection()) {
							return connection.isValid(1);
						}
					});
				}
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(hikari.getHikariPoolMXBean().getThreadsAwaitingConnection())
						.as("waiting; active=%s total=%s max=%s", hikari.getHikariPoolMXBean().getActiveConnections(),
								hikari.getHikariPoolMXBean().getTotalConnections(), hikari.getMaximumPoolSize())
						.isEqualTo(3));
				// "saturated" comes only from the branch that borrows nothing, and
				// "waiting" 3 was
				// read after the check: it did not join the callers' queue (which would
				// also have
				// held it up to the 20s acquire timeout).
				Health health = jdbc(context, "primary");
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("state", "saturated")
					.containsEntry("active", 2)
					.containsEntry("idle", 0)
					.containsEntry("waiting", 3)
					.containsEntry("max", 2)
					.containsEntry("utilisation", "1.00");
				assertThat(hikari.getHikariPoolMXBean().getThreadsAwaitingConnection())
					.as("the callers are still waiting: the check did not take a connection from them")
					.isEqualTo(3);
			}
			finally {
				for (Connection connection : held) {
					connection.close();
				}
				waiters.shutdown();
			}
		});
	}

	@Test
	void springBootsOwnDbIndicatorWaitsBehindTheCallersAndReportsDown() {
		Databases.assumePostgres();
		postgres().withPropertyValues("pool.size=1", "pool.overflow=0", "pool.acquire-timeout=1s").run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			// The start-up server check borrows the only connection too: let it finish
			// first.
			context.getBean(ServerChecks.class).await(Duration.ofSeconds(30));
			try (Connection held = dataSource.getConnection()) {
				Health boot = new DataSourceHealthIndicator(dataSource, "SELECT 1").health();
				assertThat(boot.getStatus()).as("Spring Boot's db indicator on a busy pool").isEqualTo(Status.DOWN);
				assertThat(jdbc(context, "primary").getStatus()).isEqualTo(Status.UP);
			}
		});
	}

	@Test
	void idlePoolIsUpAfterAProbeWithItsStatistics() {
		Databases.assumePostgres();
		postgres().withPropertyValues("pool.size=1", "pool.overflow=1").run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			// The start-up server check borrows a connection too: let it finish first.
			context.getBean(ServerChecks.class).await(Duration.ofSeconds(30));
			for (int i = 0; i < 10; i++) {
				try (Connection connection = dataSource.getConnection()) {
					connection.isValid(1);
				}
			}
			Health health = jdbc(context, "primary");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("state", "idle connection checked")
				.containsEntry("size", 1)
				.containsEntry("overflow", 1)
				.containsKeys("reuseRate", "acquisitions", "connectionsCreated", "timeouts");
			assertThat((Long) health.getDetails().get("acquisitions")).isGreaterThanOrEqualTo(10);
		});
	}

	@Test
	void unreachableDatabaseIsDown() {
		this.runner
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/test", "pool.acquire-timeout=1s")
			.run((context) -> {
				// The first check starts the pool and reports "starting" (UNKNOWN) if
				// that takes
				// longer than it waits; on a busy machine it may.
				Health health = await().atMost(Duration.ofSeconds(60))
					.until(() -> jdbc(context, "primary"), (checked) -> checked.getStatus() != Status.UNKNOWN);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("state", "database not reachable");
				assertThat(String.valueOf(health.getDetails().get("error"))).contains("Connection");
			});
	}

	@Test
	void stoppedDatabaseIsDownAndUpAgainOnceItIsBack() throws Exception {
		Databases.assumeAvailable(ThrowawayPostgres.available(), ThrowawayPostgres.requirement());
		try (ThrowawayPostgres server = ThrowawayPostgres.start()) {
			this.runner
				.withPropertyValues("spring.datasource.url=" + server.url(), "spring.datasource.username=postgres",
						"pool.size=1", "pool.overflow=1", "pool.acquire-timeout=1s")
				.run((context) -> {
					try (Connection connection = context.getBean(DataSource.class).getConnection()) {
						connection.isValid(1);
					}
					assertThat(jdbc(context, "primary").getStatus()).isEqualTo(Status.UP);
					server.stopServer();
					await().atMost(Duration.ofSeconds(30))
						.untilAsserted(() -> assertThat(jdbc(context, "primary").getStatus()).isEqualTo(Status.DOWN));
					server.startServer();
					await().atMost(Duration.ofSeconds(30))
						.untilAsserted(() -> assertThat(jdbc(context, "primary").getStatus()).isEqualTo(Status.UP));
				});
		}
	}

	@Test
	void sqliteShowsTheWriterAndTheReaders() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("health.db"))
			.run((context) -> {
				// A check that starts a pool reports "starting" (UNKNOWN) if the start
				// takes
				// longer than it waits; on a busy machine it may.
				await().atMost(Duration.ofSeconds(60))
					.untilAsserted(() -> assertThat(jdbc(context, "writer").getStatus()).isEqualTo(Status.UP));
				await().atMost(Duration.ofSeconds(60))
					.untilAsserted(() -> assertThat(jdbc(context, "reader").getStatus()).isEqualTo(Status.UP));
				assertThat(jdbc(context, "writer").getDetails()).containsEntry("max", 1);
			});
	}

	private static Health jdbc(AssertableApplicationContext context, String pool) {
		assertThat(context).hasNotFailed();
		CompositeHealthContributor root = context.getBean("poolHealthContributor", CompositeHealthContributor.class);
		CompositeHealthContributor jdbc = (CompositeHealthContributor) root.getContributor("jdbc");
		HealthIndicator indicator = (HealthIndicator) jdbc.getContributor(pool);
		assertThat(indicator).as("pool %s", pool).isNotNull();
		return indicator.health(true);
	}

}
