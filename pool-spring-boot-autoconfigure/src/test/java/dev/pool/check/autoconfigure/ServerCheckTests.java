package dev.pool.check.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.pool.autoconfigure.PoolFailureAnalysis;
import dev.pool.check.ServerCheck;
import dev.pool.check.ServerCheck.Status;
import dev.pool.check.ServerChecks;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up checks against the real PostgreSQL and MariaDB on 127.0.0.1. Role and
 * session settings stand in for server settings, so nothing of the machine's
 * configuration changes.
 */
class ServerCheckTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				ServerCheckAutoConfiguration.class))
		.withPropertyValues("pool.acquire-timeout=5s");

	private ApplicationContextRunner postgres() {
		return this.runner.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL,
				"spring.datasource.username=" + Databases.POSTGRES_USER);
	}

	private ApplicationContextRunner mariaDb() {
		return this.runner.withPropertyValues("spring.datasource.url=" + Databases.MARIADB_URL,
				"spring.datasource.username=" + Databases.MARIADB_USER);
	}

	@Test
	void postgresPoolThatFitsIsOk() throws Exception {
		Databases.assumePostgres();
		int max = Integer.parseInt(Databases.query(Databases.postgres(), "SHOW max_connections"));
		postgres().withPropertyValues("pool.size=2", "pool.overflow=2").run((context) -> {
			ServerCheck check = only(context);
			assertThat(check.status()).as("%s", check.problems()).isEqualTo(Status.OK);
			assertThat(check.database()).startsWith("PostgreSQL");
			assertThat(check.details()).containsEntry("maxConnections", max)
				.containsEntry("connectionsNeeded", 14)
				.containsEntry("connectionMath",
						"(size 2 + overflow 2) x 1 instance + 10 reserved = 14 of max_connections " + max);
		});
	}

	@Test
	void postgresPoolAboveMaxConnectionsIsReportedWithTheSizesThatFit() throws Exception {
		Databases.assumePostgres();
		int max = Integer.parseInt(Databases.query(Databases.postgres(), "SHOW max_connections"));
		int size = max;
		postgres().withPropertyValues("pool.size=" + size, "pool.overflow=40", "pool.instances=2").run((context) -> {
			ServerCheck check = only(context);
			assertThat(check.status()).isEqualTo(Status.MISCONFIGURED);
			int needed = (size + 40) * 2 + 10;
			int budget = (max - 10) / 2;
			assertThat(check.problems()).hasSize(1);
			assertThat(check.problems().get(0))
				.contains("(size " + size + " + overflow 40) x 2 instances + 10 reserved = " + needed)
				.contains("max_connections = " + max)
				.contains("pool.size=" + budget + " and pool.overflow=0")
				.contains("raise max_connections to " + needed);
		});
	}

	@Test
	void postgresRoleIdleSessionTimeoutBelowRecycleIsReported() throws Exception {
		Databases.assumePostgres();
		String role = "pool_idle_" + UUID.randomUUID().toString().substring(0, 8);
		Databases.execute(Databases.postgres(), "CREATE ROLE " + role + " LOGIN",
				"ALTER ROLE " + role + " SET idle_session_timeout = '5min'");
		try {
			ApplicationContextRunner asRole = this.runner.withPropertyValues(
					"spring.datasource.url=" + Databases.POSTGRES_URL, "spring.datasource.username=" + role,
					"pool.size=1", "pool.overflow=1", "pool.recycle=1h");
			asRole.withPropertyValues("spring.datasource.hikari.keepalive-time=0").run((context) -> {
				ServerCheck check = only(context);
				assertThat(check.status()).isEqualTo(Status.MISCONFIGURED);
				assertThat(check.details()).containsEntry("idle_session_timeout", "5m");
				assertThat(check.problems()).singleElement()
					.asString()
					.contains("pool.recycle (pool 'primary') = 1h")
					.contains("idle_session_timeout = 5m")
					.contains("Set pool.recycle=270s");
			});
			asRole.run((context) -> assertThat(only(context).status())
				.as("HikariCP's keepalive (2m) pings idle connections before the server's 5m timeout")
				.isEqualTo(Status.OK));
		}
		finally {
			Databases.execute(Databases.postgres(),
					"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'",
					"DROP ROLE " + role);
		}
	}

	@Test
	void failOnMisconfigurationStopsStartUpWithTheArithmetic() throws Exception {
		Databases.assumePostgres();
		int max = Integer.parseInt(Databases.query(Databases.postgres(), "SHOW max_connections"));
		postgres().withPropertyValues("pool.size=" + max, "pool.overflow=0", "pool.fail-on-misconfiguration=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("pool.size and pool.overflow (pool 'primary')")
					.contains("(size " + max + " + overflow 0) x 1 instance + 10 reserved = " + (max + 10));
				assertThat(analysis.getAction()).contains("pool.size=" + (max - 10) + " and pool.overflow=0");
			});
	}

	@Test
	void mariaDbPoolThatFitsIsOkAndOneAboveMaxConnectionsIsReported() throws Exception {
		Databases.assumeMariaDb();
		int max = Integer.parseInt(Databases.query(Databases.mariaDb(), "SELECT @@max_connections"));
		mariaDb().withPropertyValues("pool.size=2", "pool.overflow=1").run((context) -> {
			ServerCheck check = only(context);
			assertThat(check.status()).as("%s", check.problems()).isEqualTo(Status.OK);
			assertThat(check.database()).contains("MariaDB");
			assertThat(check.details()).containsEntry("maxConnections", max);
		});
		mariaDb().withPropertyValues("pool.size=5", "pool.overflow=" + max).run((context) -> {
			ServerCheck check = only(context);
			assertThat(check.status()).isEqualTo(Status.MISCONFIGURED);
			assertThat(check.problems().get(0)).contains("(size 5 + overflow " + max + ") x 1 instance")
				.contains("pool.size=5 and pool.overflow=" + (max - 10 - 5));
		});
	}

	@Test
	void mariaDbSessionWaitTimeoutBelowRecycleIsReported() {
		Databases.assumeMariaDb();
		mariaDb()
			.withPropertyValues("pool.size=1", "pool.overflow=0", "pool.recycle=1h",
					"spring.datasource.hikari.keepalive-time=0",
					"spring.datasource.hikari.connection-init-sql=SET SESSION wait_timeout = 120")
			.run((context) -> {
				ServerCheck check = only(context);
				assertThat(check.status()).isEqualTo(Status.MISCONFIGURED);
				assertThat(check.details()).containsEntry("wait_timeout", "2m");
				assertThat(check.problems()).singleElement()
					.asString()
					.contains("wait_timeout = 2m")
					.contains("Set pool.recycle=90s");
			});
	}

	@Test
	void sqliteIsSkipped() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("skip.db"))
			.run((context) -> {
				List<ServerCheck> checks = context.getBean(ServerChecks.class).await(Duration.ofSeconds(30));
				assertThat(checks).extracting(ServerCheck::status).containsExactly(Status.SKIPPED, Status.SKIPPED);
				assertThat(checks).extracting(ServerCheck::pool).containsExactly("writer", "reader");
			});
	}

	@Test
	void unreachableServerDoesNotDelayStartUpAndIsUnknown() {
		this.runner
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/test", "pool.acquire-timeout=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ServerChecks.class).isDone()).as("started before the check finished")
					.isFalse();
				assertThat(only(context).status()).isEqualTo(Status.UNKNOWN);
			});
	}

	private static ServerCheck only(AssertableApplicationContext context) throws Exception {
		assertThat(context).hasNotFailed();
		List<ServerCheck> checks = context.getBean(ServerChecks.class).await(Duration.ofSeconds(30));
		assertThat(checks).hasSize(1);
		return checks.get(0);
	}

	private static FailureAnalysis analyze(Throwable failure) {
		return PoolFailureAnalysis.of(failure);
	}

}
