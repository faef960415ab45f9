package dev.pool.resilience;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.pool.jdbc.ConnectionGuard.ConnectionSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A DataSource of your own behind a {@link DatabaseCircuitBreaker}: it fails at once with
 * {@link DatabaseUnavailableException} while the database keeps refusing connections. The
 * starter's own pools carry their breaker inside ({@code ManagedHikariDataSource}); this
 * wrapper is for any other DataSource ({@link DatabaseCircuitBreakers#wrap}).
 * {@link #unwrap(Class)} and {@link #isWrapperFor(Class)} reach the pool underneath.
 */
public class CircuitBreakerDataSource extends DelegatingDataSource {

	private final DatabaseCircuitBreaker breaker;

	private final ConnectionSource pool;

	/**
	 * Create a new instance.
	 * @param pool the DataSource (pool) to guard
	 * @param breaker its breaker
	 */
	public CircuitBreakerDataSource(DataSource pool, DatabaseCircuitBreaker breaker) {
		super(pool);
		this.breaker = breaker;
		this.pool = pool::getConnection;
	}

	public DatabaseCircuitBreaker getDatabaseCircuitBreaker() {
		return this.breaker;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.breaker.getCircuitBreaker();
	}

	public long getRefusedCount() {
		return this.breaker.getRefusedCount();
	}

	public long getFailureCount() {
		return this.breaker.getFailureCount();
	}

	@Override
	public Connection getConnection() throws SQLException {
		return this.breaker.getConnection(this.pool);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		DataSource target = obtainTargetDataSource();
		return this.breaker.getConnection(() -> target.getConnection(username, password));
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.breaker + ", " + obtainTargetDataSource() + "]";
	}

}
