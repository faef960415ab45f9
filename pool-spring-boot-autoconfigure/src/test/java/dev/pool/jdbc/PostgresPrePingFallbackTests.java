package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The PostgreSQL pre-ping reads pgjdbc's input stream through two of its fields. These
 * tests run on the pgjdbc of the build, and on the oldest and newest 42.7.x with
 * {@code -Dpostgresql.version=...}: the fields are there, and when they are not (a pgjdbc
 * that moved them, here looked up under another name) the pool falls back to
 * {@code isValid}, says so once with a WARN, and still hands out no killed connection.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresPrePingFallbackTests {

	private static final int SIZE = 3;

	private static final String BYPASS_WINDOW = "com.zaxxer.hikari.aliveBypassWindowMs";

	private static final String FALLBACK = "keeps its input where the starter does not look";

	private final String applicationName = "pool-fallback-" + UUID.randomUUID().toString().substring(0, 8);

	@AfterEach
	void noBypassWindowLeftBehind() {
		System.clearProperty(BYPASS_WINDOW);
	}

	@Test
	void thisPgjdbcHasTheFieldsThePrePingReads(CapturedOutput output) throws Exception {
		Databases.assumePostgres();
		assertThat(PostgresPrePing.INTERNALS.isMissing()).as("pgjdbc's pgStream and pgInput").isFalse();
		try (ManagedHikariDataSource pool = pool(PrePing.DRIVER)) {
			try (Connection connection = pool.getConnection()) {
				assertThat(connection.getMetaData().getDriverVersion()).isNotEmpty();
			}
			assertThat(pool.getPrePingCheck()).startsWith("bytes the server");
		}
		assertThat(output).doesNotContain(FALLBACK);
	}

	@Test
	void withoutTheFieldsThePoolChecksWithIsValidWarnsOnceAndHandsOutNoKilledConnection(CapturedOutput output)
			throws Exception {
		Databases.assumePostgres();
		PostgresPrePing.Internals moved = PostgresPrePing.Internals.lookUp("pgStreamMovedAway", "pgInput");
		assertThat(moved.isMissing()).isTrue();
		PrePing.DriverCheck driverCheck = (url, first, seconds) -> PostgresPrePing.forConnection(first, seconds, moved);
		// HikariCP's own check out of the picture: only the starter's decides.
		System.setProperty(BYPASS_WINDOW, "60000");
		try (ManagedHikariDataSource pool = pool(driverCheck); ManagedHikariDataSource other = pool(driverCheck)) {
			List<Connection> held = new ArrayList<>();
			for (int i = 0; i < SIZE; i++) {
				held.add(pool.getConnection());
			}
			for (Connection connection : held) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("SELECT 1");
				}
				connection.close();
			}
			other.getConnection().close();
			assertThat(pool.getPrePingCheck()).startsWith("isValid");
			assertThat(other.getPrePingCheck()).startsWith("isValid");
			assertThat(output.getAll().lines().filter((line) -> line.contains(FALLBACK))).as("warnings for two pools")
				.singleElement()
				.satisfies((line) -> assertThat(line).contains("WARN").contains("isValid"));

			// Every connection of both pools open before the kill, none opening after it.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> pool.getHikariPoolMXBean().getTotalConnections() == SIZE
						&& other.getHikariPoolMXBean().getTotalConnections() == SIZE);
			Databases.terminatePostgresBackends(this.applicationName);
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> Databases.postgresBackends(this.applicationName) == 0);
			List<String> failures = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
					statement.execute("SELECT 1");
				}
				catch (Exception ex) {
					failures.add(String.valueOf(ex.getMessage()));
				}
			}
			assertThat(failures).as("queries that failed after the kill").isEmpty();
			assertThat(pool.getDeadOnBorrowCount()).isEqualTo(SIZE);
		}
	}

	private ManagedHikariDataSource pool(PrePing.DriverCheck driverCheck) {
		ManagedHikariDataSource pool = new ManagedHikariDataSource();
		pool.setJdbcUrl(Databases.POSTGRES_URL + "?ApplicationName=" + this.applicationName);
		pool.setUsername(Databases.POSTGRES_USER);
		pool.setPoolName(this.applicationName);
		pool.setMaximumPoolSize(SIZE);
		pool.setMinimumIdle(SIZE);
		pool.setConnectionTimeout(5000);
		pool.setStrictPrePing(true);
		pool.setDriverCheck(driverCheck);
		return pool;
	}

}
