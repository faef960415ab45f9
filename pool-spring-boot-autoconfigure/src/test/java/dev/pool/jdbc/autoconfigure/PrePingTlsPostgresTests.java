package dev.pool.jdbc.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.ThrowawayPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pre-ping over TLS, on a throw-away PostgreSQL with a self-signed certificate: bytes
 * waiting on an encrypted socket cannot be told from what was already decrypted, so the
 * pool checks every borrow with a round trip, and a killed backend still never reaches
 * the caller. The same server over a plain socket gets the check without a round trip.
 */
class PrePingTlsPostgresTests {

	private static final int SIZE = 3;

	private static final String BYPASS_WINDOW = "com.zaxxer.hikari.aliveBypassWindowMs";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.username=postgres", "pool.size=" + SIZE, "pool.overflow=0",
				"pool.acquire-timeout=5s");

	@AfterEach
	void noBypassWindowLeftBehind() {
		System.clearProperty(BYPASS_WINDOW);
	}

	@Test
	void overTlsEveryBorrowIsARoundTripAndAKilledBackendNeverReachesTheCaller() throws Exception {
		Databases.assumeAvailable(ThrowawayPostgres.available() && Files.isExecutable(Path.of("/usr/bin/openssl")),
				ThrowawayPostgres.requirement() + " and openssl (Debian package openssl)");
		// HikariCP's own check out of the picture: only the starter's decides.
		System.setProperty(BYPASS_WINDOW, "60000");
		try (ThrowawayPostgres server = ThrowawayPostgres.startWithTls()) {
			this.runner
				.withPropertyValues("spring.datasource.url=" + server.url() + "?sslmode=require&ApplicationName=tls")
				.run((context) -> {
					ManagedHikariDataSource dataSource = context.getBean(ManagedHikariDataSource.class);
					assertThat(encrypted(dataSource)).as("the pool's connections use TLS").isTrue();
					PrePingPostgresTests.useEveryConnection(dataSource, SIZE);
					assertThat(killAll(server, "tls")).isEqualTo(SIZE);
					List<String> failures = query(dataSource, 100);
					assertThat(failures).as("queries that failed after the kill").isEmpty();
					assertThat(dataSource.getDeadOnBorrowCount()).isEqualTo(SIZE);
				});
			this.runner.withPropertyValues("spring.datasource.url=" + server.url() + "?sslmode=disable")
				.run((context) -> {
					ManagedHikariDataSource dataSource = context.getBean(ManagedHikariDataSource.class);
					assertThat(encrypted(dataSource)).isFalse();
					assertThat(dataSource.getPrePingCheck()).startsWith("bytes the server");
				});
		}
	}

	/**
	 * With {@code sslmode=prefer} the transport is each connection's own: the pool's
	 * first connection is plain (the server offers no TLS yet), then the server turns TLS
	 * on and the pool's connections are replaced by encrypted ones. Each is checked the
	 * way its transport allows: every killed one is found dead.
	 */
	@Test
	void withSslmodePreferEachConnectionIsCheckedTheWayItsTransportAllows() throws Exception {
		Databases.assumeAvailable(ThrowawayPostgres.available() && Files.isExecutable(Path.of("/usr/bin/openssl")),
				ThrowawayPostgres.requirement() + " and openssl (Debian package openssl)");
		System.setProperty(BYPASS_WINDOW, "60000");
		try (ThrowawayPostgres server = ThrowawayPostgres.startWithTls("ssl = off")) {
			this.runner
				.withPropertyValues("spring.datasource.url=" + server.url() + "?sslmode=prefer&ApplicationName=prefer")
				.run((context) -> {
					ManagedHikariDataSource dataSource = context.getBean(ManagedHikariDataSource.class);
					assertThat(encrypted(dataSource)).as("the first connection, before TLS is on").isFalse();
					assertThat(dataSource.getPrePingCheck()).startsWith("bytes the server");
					try (Connection admin = DriverManager.getConnection(server.url() + "?sslmode=disable", "postgres",
							""); Statement statement = admin.createStatement()) {
						// Every connection made before TLS is on, none still opening.
						await().atMost(Duration.ofSeconds(10))
							.until(() -> dataSource.getHikariPoolMXBean().getTotalConnections() == SIZE);
						statement.execute("ALTER SYSTEM SET ssl = on");
						statement.execute("SELECT pg_reload_conf()");
						// The server reloads its configuration after the call returns.
						await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
							try (Connection tls = DriverManager.getConnection(server.url() + "?sslmode=require",
									"postgres", "")) {
								return tls.isValid(1);
							}
						});
						dataSource.getHikariPoolMXBean().softEvictConnections();
						String encrypted = "SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_activity a "
								+ "JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.application_name = 'prefer'";
						await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
							try (ResultSet result = statement.executeQuery(encrypted)) {
								result.next();
								assertThat(List.of(result.getInt(1), result.getInt(2)))
									.as("the pool's connections over TLS, and all of them")
									.containsExactly(SIZE, SIZE);
							}
						});
					}
					PrePingPostgresTests.useEveryConnection(dataSource, SIZE);
					assertThat(killAll(server, "prefer")).isEqualTo(SIZE);
					List<String> failures = query(dataSource, 100);
					assertThat(failures).as("queries that failed after the kill of TLS connections").isEmpty();
					assertThat(dataSource.getDeadOnBorrowCount()).isEqualTo(SIZE);
				});
		}
	}

	private static boolean encrypted(ManagedHikariDataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
			assertThat(result.next()).isTrue();
			return result.getBoolean(1);
		}
	}

	private static int killAll(ThrowawayPostgres server, String applicationName) throws Exception {
		String backends = "FROM pg_stat_activity WHERE application_name = '" + applicationName + "'";
		try (Connection admin = DriverManager.getConnection(server.url() + "?sslmode=disable", "postgres", "");
				Statement statement = admin.createStatement()) {
			int killed;
			try (ResultSet result = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) " + backends)) {
				result.next();
				killed = result.getInt(1);
			}
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
				try (ResultSet result = statement.executeQuery("SELECT count(*) " + backends)) {
					result.next();
					return result.getInt(1) == 0;
				}
			});
			return killed;
		}
	}

	private static List<String> query(ManagedHikariDataSource dataSource, int times) {
		List<String> failures = new ArrayList<>();
		for (int i = 0; i < times; i++) {
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("SELECT 1");
			}
			catch (Exception ex) {
				failures.add(String.valueOf(ex.getMessage()));
			}
		}
		return failures;
	}

}
