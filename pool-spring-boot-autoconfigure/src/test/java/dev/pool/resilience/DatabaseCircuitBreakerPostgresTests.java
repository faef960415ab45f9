package dev.pool.resilience;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.TcpProxy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The database circuit breaker on real PostgreSQL pools behind a throw-away proxy on
 * 127.0.0.1: it opens when the database cannot be reached, not when callers queue for
 * connections that cannot be added while the pooled ones work, and a trial call that ends
 * in an {@link Error} does not leave it refusing every call.
 */
class DatabaseCircuitBreakerPostgresTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				ResilienceAutoConfiguration.class))
		.withPropertyValues("spring.datasource.username=" + Databases.POSTGRES_USER, "pool.size=0", "pool.overflow=2",
				"pool.acquire-timeout=500ms", "pool.resilience.failure-threshold=2",
				"pool.resilience.wait-duration-in-open-state=600s");

	/**
	 * The pool holds one connection that works, and may open a second, which the proxy
	 * refuses (as a server at its connection limit would): callers that wait for it time
	 * out, HikariCP's timeout carrying the refused connection as its cause, and the
	 * breaker stays closed.
	 */
	@Test
	void callersTimingOutWhileNewConnectionsFailAndPooledOnesWorkAreLoad() throws Exception {
		Databases.assumePostgres();
		try (TcpProxy proxy = new TcpProxy(Databases.POSTGRES_PORT)) {
			this.runner.withPropertyValues("spring.datasource.url=" + url(proxy, "pool-breaker-load"))
				.run((context) -> {
					HikariDataSource dataSource = context.getBean(HikariDataSource.class);
					DatabaseCircuitBreaker breaker = context.getBean(DatabaseCircuitBreakers.class)
						.getCircuitBreakers()
						.get("dataSource");
					try (Connection held = dataSource.getConnection()) {
						proxy.stopAccepting();
						for (int i = 0; i < 4; i++) {
							assertThat(catchThrowable(dataSource::getConnection))
								.isInstanceOf(SQLTransientConnectionException.class)
								.isNotInstanceOf(DatabaseUnavailableException.class)
								.hasMessageContaining("request timed out")
								.as("a new connection failed")
								.hasCauseInstanceOf(SQLException.class);
							assertThat(selectOne(held)).as("the pooled connection works").isOne();
						}
					}
					assertThat(breaker.getCircuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
					assertThat(breaker.getFailureCount()).isZero();
					try (Connection again = dataSource.getConnection()) {
						assertThat(selectOne(again)).isOne();
					}
				});
		}
	}

	/**
	 * The database is unreachable, the breaker opens; once it is back, the one trial call
	 * the half-open breaker lets through ends in an {@link Error} thrown by the
	 * DataSource in front of the pool. The next call is the trial instead, gets a
	 * connection, and closes the breaker.
	 */
	@Test
	void anErrorInTheTrialCallLetsTheNextCallTry() throws Exception {
		Databases.assumePostgres();
		DatabaseCircuitBreakers breakers = new DatabaseCircuitBreakers(2, Duration.ofSeconds(600), 1);
		try (TcpProxy proxy = new TcpProxy(Databases.POSTGRES_PORT); HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl(url(proxy, "pool-breaker-error"));
			pool.setUsername(Databases.POSTGRES_USER);
			pool.setMaximumPoolSize(1);
			pool.setConnectionTimeout(500);
			ErrorOnce inFront = new ErrorOnce(pool);
			CircuitBreakerDataSource dataSource = breakers.wrap("db", inFront);
			CircuitBreaker breaker = dataSource.getCircuitBreaker();
			proxy.stop();
			for (int i = 0; i < 2; i++) {
				assertThat(catchThrowable(dataSource::getConnection)).isInstanceOf(SQLException.class)
					.isNotInstanceOf(DatabaseUnavailableException.class);
			}
			assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
			assertThat(catchThrowable(dataSource::getConnection)).isInstanceOf(DatabaseUnavailableException.class);

			proxy.start();
			// The test ends the open-state wait itself, as the passing of that time
			// would.
			breaker.transitionToHalfOpenState();
			inFront.error.set(true);
			assertThat(catchThrowable(dataSource::getConnection)).isInstanceOf(NoClassDefFoundError.class);
			try (Connection connection = dataSource.getConnection()) {
				assertThat(selectOne(connection)).isOne();
			}
			assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		}
	}

	private static String url(TcpProxy proxy, String applicationName) {
		return "jdbc:postgresql://127.0.0.1:" + proxy.getPort() + "/test?ApplicationName=" + applicationName;
	}

	private static Integer selectOne(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("SELECT 1");
			statement.getResultSet().next();
			return statement.getResultSet().getInt(1);
		}
	}

	/**
	 * A DataSource in front of the pool (a proxy of the application's, say) that throws
	 * an {@link Error} once when told to.
	 */
	static final class ErrorOnce extends DelegatingDataSource {

		final AtomicBoolean error = new AtomicBoolean();

		ErrorOnce(DataSource pool) {
			super(pool);
		}

		@Override
		public Connection getConnection() throws SQLException {
			if (this.error.compareAndSet(true, false)) {
				throw new NoClassDefFoundError("org/example/Missing (thrown by the test)");
			}
			return super.getConnection();
		}

	}

}
