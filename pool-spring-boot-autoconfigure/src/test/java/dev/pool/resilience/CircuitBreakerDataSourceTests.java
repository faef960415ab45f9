package dev.pool.resilience;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariDataSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.datasource.AbstractDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * What the breaker counts, and what it costs while nothing fails.
 */
class CircuitBreakerDataSourceTests {

	@TempDir
	Path directory;

	private final DatabaseCircuitBreakers breakers = new DatabaseCircuitBreakers(3, Duration.ofMillis(200), 1);

	@Test
	void whileNothingFailsNoOutcomeIsRecorded() throws SQLException {
		try (HikariDataSource pool = sqlitePool(2, 30_000)) {
			CircuitBreakerDataSource dataSource = this.breakers.wrap("db", pool);
			for (int i = 0; i < 100; i++) {
				try (Connection connection = dataSource.getConnection()) {
					assertThat(connection.isValid(1)).isTrue();
				}
			}
			CircuitBreaker.Metrics metrics = dataSource.getCircuitBreaker().getMetrics();
			assertThat(metrics.getNumberOfBufferedCalls()).isZero();
			assertThat(dataSource.getCircuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		}
	}

	@Test
	void sqlErrorsOfABorrowedConnectionNeverCount() throws SQLException {
		try (HikariDataSource pool = sqlitePool(2, 30_000)) {
			CircuitBreakerDataSource dataSource = this.breakers.wrap("db", pool);
			for (int i = 0; i < 10; i++) {
				try (Connection connection = dataSource.getConnection();
						Statement statement = connection.createStatement()) {
					assertThatExceptionOfType(SQLException.class)
						.isThrownBy(() -> statement.execute("SELECT * FROM nowhere"));
				}
			}
			assertThat(dataSource.getFailureCount()).isZero();
			assertThat(dataSource.getCircuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		}
	}

	@Test
	void anExhaustedPoolIsLoadNotAnOutage() throws SQLException {
		try (HikariDataSource pool = sqlitePool(1, 250)) {
			CircuitBreakerDataSource dataSource = this.breakers.wrap("db", pool);
			try (Connection held = dataSource.getConnection()) {
				for (int i = 0; i < 4; i++) {
					assertThat(catchThrowable(dataSource::getConnection))
						.isInstanceOf(SQLTransientConnectionException.class)
						.isNotInstanceOf(DatabaseUnavailableException.class)
						.hasMessageContaining("request timed out");
				}
			}
			assertThat(dataSource.getFailureCount()).isZero();
			assertThat(dataSource.getCircuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		}
	}

	@Test
	void opensAfterConsecutiveFailuresOnlyAndClosesWhenTheDatabaseIsBack() throws SQLException {
		Outage outage = new Outage();
		CircuitBreakerDataSource dataSource = this.breakers.wrap("db", outage);
		CircuitBreaker breaker = dataSource.getCircuitBreaker();
		outage.down.set(true);
		fail(dataSource, 2);
		outage.down.set(false);
		dataSource.getConnection().close();
		outage.down.set(true);
		fail(dataSource, 2);
		assertThat(breaker.getState()).as("a success came between the failures").isEqualTo(CircuitBreaker.State.CLOSED);
		fail(dataSource, 1);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

		int attemptsBefore = outage.attempts;
		DatabaseUnavailableException unavailable = (DatabaseUnavailableException) catchThrowable(
				dataSource::getConnection);
		assertThat(unavailable.getMessage()).contains("'db'")
			.contains("last 3 attempts")
			.contains("pool.resilience.wait-duration-in-open-state");
		assertThat(unavailable.getSQLState()).isEqualTo("08001");
		assertThat(outage.attempts).as("the pool is not asked while open").isEqualTo(attemptsBefore);
		assertThat(dataSource.getRefusedCount()).isEqualTo(1);

		outage.down.set(false);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try (Connection connection = dataSource.getConnection()) {
				return true;
			}
			catch (DatabaseUnavailableException ex) {
				return false;
			}
		});
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		long recorded = breaker.getMetrics().getNumberOfBufferedCalls();
		dataSource.getConnection().close();
		assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).as("back on the fast path").isEqualTo(recorded);
	}

	private static void fail(CircuitBreakerDataSource dataSource, int times) {
		for (int i = 0; i < times; i++) {
			assertThat(catchThrowable(dataSource::getConnection)).isInstanceOf(SQLException.class)
				.isNotInstanceOf(DatabaseUnavailableException.class);
		}
	}

	private HikariDataSource sqlitePool(int size, long connectionTimeout) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl("jdbc:sqlite:" + this.directory.resolve("breaker.db"));
		pool.setMaximumPoolSize(size);
		pool.setConnectionTimeout(connectionTimeout);
		return pool;
	}

	/**
	 * A database that refuses connections while it is down.
	 */
	static final class Outage extends AbstractDataSource {

		final AtomicBoolean down = new AtomicBoolean();

		volatile int attempts;

		@Override
		public Connection getConnection() throws SQLException {
			this.attempts++;
			if (this.down.get()) {
				throw new SQLException("Connection refused", "08001");
			}
			return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
					(proxy, method, args) -> null);
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return getConnection();
		}

	}

}
