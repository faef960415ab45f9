package dev.pool.resilience;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import dev.pool.jdbc.ConnectionGuard;

/**
 * The circuit breaker of one pool: a borrow fails at once with
 * {@link DatabaseUnavailableException} while the database keeps refusing connections,
 * instead of every caller waiting the pool's acquire timeout. Only connection acquisition
 * is guarded: an SQL error on a borrowed connection never counts.
 * <p>
 * <b>The hot path.</b> resilience4j records every outcome into a synchronized sliding
 * window, too costly for every borrow. So the breaker is told of failures always, and of
 * a success only when a failure was recorded since the last recorded success. While the
 * breaker is closed and nothing has failed, a borrow costs one volatile read plus the
 * pool's own call. The breaker counts the last {@code failure-threshold} recorded calls
 * with a failure-rate threshold of 100%, so it opens after that many consecutive failed
 * acquisitions.
 * <p>
 * Counted as a failure: any exception from the pool's {@code getConnection}, except an
 * interrupted wait and an acquire timeout of a pool that is merely exhausted (HikariCP's
 * {@link SQLTransientConnectionException} without a cause: every connection was busy, the
 * database itself answered).
 */
public class DatabaseCircuitBreaker implements ConnectionGuard {

	private final CircuitBreaker circuitBreaker;

	private final Duration waitDurationInOpenState;

	private final int failureThreshold;

	private final LongAdder refused = new LongAdder();

	private final LongAdder failures = new LongAdder();

	/**
	 * True while the breaker is closed and no failure was recorded since the last
	 * recorded success: then a borrow skips the breaker.
	 */
	private volatile boolean healthy = true;

	/**
	 * Create a new instance.
	 * @param circuitBreaker the breaker: count based, failure-rate threshold 100%
	 * @param failureThreshold the breaker's window: consecutive failures that open it
	 * @param waitDurationInOpenState how long it stays open before a call tries again
	 */
	public DatabaseCircuitBreaker(CircuitBreaker circuitBreaker, int failureThreshold,
			Duration waitDurationInOpenState) {
		this.circuitBreaker = circuitBreaker;
		this.failureThreshold = failureThreshold;
		this.waitDurationInOpenState = waitDurationInOpenState;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	/**
	 * Return the connection requests refused at once because the breaker was open.
	 * @return the count since start
	 */
	public long getRefusedCount() {
		return this.refused.sum();
	}

	/**
	 * Return the failed attempts to get a connection that the breaker counted.
	 * @return the count since start
	 */
	public long getFailureCount() {
		return this.failures.sum();
	}

	@Override
	public Connection getConnection(ConnectionSource pool) throws SQLException {
		if (this.healthy) {
			try {
				return pool.getConnection();
			}
			catch (SQLException | RuntimeException ex) {
				onFailure(ex, 0, false);
				throw ex;
			}
		}
		return guarded(pool);
	}

	/**
	 * A borrow after a failure: through the breaker, which refuses at once while open.
	 */
	private Connection guarded(ConnectionSource pool) throws SQLException {
		if (!this.circuitBreaker.tryAcquirePermission()) {
			this.refused.increment();
			throw new DatabaseUnavailableException(this.circuitBreaker.getName(), this.failureThreshold,
					this.waitDurationInOpenState);
		}
		long start = System.nanoTime();
		Connection connection;
		try {
			connection = pool.getConnection();
		}
		catch (SQLException | RuntimeException ex) {
			onFailure(ex, System.nanoTime() - start, true);
			throw ex;
		}
		this.circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		if (this.circuitBreaker.getState() == CircuitBreaker.State.CLOSED) {
			// A failure recorded by another thread at this very moment may be
			// overwritten;
			// it then stays in the window, and the next failure is recorded as usual.
			this.healthy = true;
		}
		return connection;
	}

	private void onFailure(Exception ex, long nanos, boolean permitted) {
		if (isConnectionFailure(ex)) {
			this.healthy = false;
			this.failures.increment();
			this.circuitBreaker.onError(nanos, TimeUnit.NANOSECONDS, ex);
		}
		else if (permitted) {
			// Not the database's fault: give the permission back without an outcome.
			this.circuitBreaker.releasePermission();
		}
	}

	/**
	 * Whether an exception from {@code getConnection} says the database cannot be
	 * reached.
	 * @param ex the exception
	 * @return false for an interrupted wait and for the acquire timeout of an exhausted
	 * pool
	 */
	static boolean isConnectionFailure(Throwable ex) {
		if (ex instanceof SQLTransientConnectionException && ex.getCause() == null) {
			return false;
		}
		return !(ex.getCause() instanceof InterruptedException);
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.circuitBreaker.getName() + " " + this.circuitBreaker.getState()
				+ "]";
	}

}
