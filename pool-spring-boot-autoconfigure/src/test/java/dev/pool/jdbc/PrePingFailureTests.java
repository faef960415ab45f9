package dev.pool.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A pre-ping that throws, as one built against another driver release would
 * ({@code NoSuchMethodError}, {@code NoClassDefFoundError}), on a real SQLite pool: the
 * borrowed connection is never left open, the pool falls back to {@code isValid}, and
 * many borrows later nothing is held.
 */
@ExtendWith(OutputCaptureExtension.class)
class PrePingFailureTests {

	private static final int SIZE = 2;

	private static final int BORROWS = 20;

	@TempDir
	Path directory;

	@Test
	void aChoiceThatThrowsALinkageErrorFallsBackToIsValidAndLeavesNothingOpen(CapturedOutput output) throws Exception {
		try (ManagedHikariDataSource pool = pool((url, first, seconds) -> {
			throw new NoSuchMethodError("'java.net.Socket org.postgresql.core.PGStream.getSocket()'");
		})) {
			borrowAndQuery(pool, BORROWS);
			assertThat(pool.getPrePingCheck()).startsWith("isValid");
			assertNothingHeld(pool);
			assertThat(output).contains("WARN").contains("NoSuchMethodError").contains("isValid");
		}
	}

	@Test
	void aCheckThatThrowsALinkageErrorIsReplacedByIsValidAndLeavesNothingOpen(CapturedOutput output) throws Exception {
		try (ManagedHikariDataSource pool = pool((url, first, seconds) -> new Throwing(
				() -> new NoClassDefFoundError("org/postgresql/core/VisibleBufferedInputStream")))) {
			borrowAndQuery(pool, BORROWS);
			assertThat(pool.getPrePingCheck()).startsWith("isValid");
			assertThat(pool.getDeadOnBorrowCount()).isZero();
			assertNothingHeld(pool);
			assertThat(output).contains("WARN").contains("NoClassDefFoundError");
		}
	}

	/**
	 * An error that is not the driver's (here one of the test's own) reaches the caller,
	 * and the connection is evicted, not left borrowed: with 2 connections, 20 borrows
	 * that each fail would exhaust the pool by the third if it were.
	 */
	@Test
	void anyOtherErrorOfTheCheckReachesTheCallerAndEvictsTheConnection() throws Exception {
		try (ManagedHikariDataSource pool = pool((url, first, seconds) -> new Throwing(CheckFailed::new))) {
			for (int i = 0; i < BORROWS; i++) {
				assertThatExceptionOfType(CheckFailed.class).as("borrow %d", i).isThrownBy(pool::getConnection);
			}
			assertNothingHeld(pool);
		}
	}

	@Test
	void anyOtherErrorOfTheChoiceReachesTheCallerAndEvictsTheConnection() throws Exception {
		try (ManagedHikariDataSource pool = pool((url, first, seconds) -> {
			throw new CheckFailed();
		})) {
			for (int i = 0; i < BORROWS; i++) {
				assertThatExceptionOfType(CheckFailed.class).as("borrow %d", i).isThrownBy(pool::getConnection);
			}
			assertNothingHeld(pool);
		}
	}

	@Test
	void roundTripIsUsedWhateverTheDriverWhenAskedFor() throws Exception {
		try (ManagedHikariDataSource pool = pool(PrePing.DRIVER,
				(dataSource) -> dataSource.setPrePingCheck(PrePingCheck.ROUND_TRIP))) {
			borrowAndQuery(pool, 1);
			assertThat(pool.getPrePingCheck()).startsWith("isValid");
		}
		try (ManagedHikariDataSource pool = pool(PrePing.DRIVER)) {
			borrowAndQuery(pool, 1);
			assertThat(pool.getPrePingCheck()).as("SQLite by default").startsWith("none");
		}
	}

	private ManagedHikariDataSource pool(PrePing.DriverCheck driverCheck) {
		return pool(driverCheck, (dataSource) -> {
		});
	}

	private ManagedHikariDataSource pool(PrePing.DriverCheck driverCheck, Consumer<ManagedHikariDataSource> more) {
		ManagedHikariDataSource pool = new ManagedHikariDataSource();
		pool.setJdbcUrl("jdbc:sqlite:" + this.directory.resolve("pre-ping.db"));
		pool.setPoolName("pre-ping-failure");
		pool.setMaximumPoolSize(SIZE);
		pool.setMinimumIdle(SIZE);
		pool.setConnectionTimeout(1000);
		pool.setStrictPrePing(true);
		pool.setDriverCheck(driverCheck);
		more.accept(pool);
		return pool;
	}

	private static void borrowAndQuery(ManagedHikariDataSource pool, int times) throws SQLException {
		for (int i = 0; i < times; i++) {
			try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
				statement.execute("SELECT 1");
			}
		}
	}

	private static void assertNothingHeld(ManagedHikariDataSource pool) {
		assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("borrowed connections").isZero();
		assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("open connections").isLessThanOrEqualTo(SIZE);
	}

	/**
	 * A check that throws what it is given.
	 */
	private static final class Throwing extends PrePing {

		private final java.util.function.Supplier<? extends Error> error;

		Throwing(java.util.function.Supplier<? extends Error> error) {
			this.error = error;
		}

		@Override
		boolean isAlive(Connection connection) {
			throw this.error.get();
		}

		@Override
		String description() {
			return "throwing";
		}

	}

	/**
	 * The test's own error: not a driver's.
	 */
	static final class CheckFailed extends Error {

		CheckFailed() {
			super("the check failed");
		}

	}

}
