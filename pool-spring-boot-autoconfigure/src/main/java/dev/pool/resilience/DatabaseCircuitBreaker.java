package dev.pool.resilience;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pool.jdbc.ConnectionGuard;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;

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
 * interrupted wait and an acquire timeout that is load, not an outage. HikariCP's acquire
 * timeout ({@link SQLTransientConnectionException}) carries as its cause the pool's last
 * failure to open a connection: without one, every connection was busy and the database
 * answered; with one, it counts only when the pool holds no connection at all (a HikariCP
 * pool, known when the breaker is made): connections the pool still holds have worked, so
 * new ones failing (the server's connection limit, a refused overflow connection) while
 * callers queue for them is load. Only when that pool is unknown does a cause alone
 * count.
 * <p>
 * Whatever a call through the breaker throws, an {@link Error} included, the permission
 * it took is given back or its outcome recorded: a half-open breaker never waits for a
 * trial call that is gone.
 * <p>
 * <b>Start-up.</b> A breaker made by {@link DatabaseCircuitBreakers} makes its
 * resilience4j {@link CircuitBreaker} on first need (the first failure, or
 * {@link #getCircuitBreaker()}): until then it is closed, and an application whose
 * database never fails loads none of resilience4j's classes.
 */
public class DatabaseCircuitBreaker implements ConnectionGuard {

	private final String name;

	/** Makes the breaker on first need; null once made. */
	private Supplier<CircuitBreaker> factory;

	private volatile CircuitBreaker circuitBreaker;

	private final Duration waitDurationInOpenState;

	private final int failureThreshold;

	private final LongAdder refused = new LongAdder();

	private final LongAdder failures = new LongAdder();

	/** The pool behind the breaker, asked whether it holds connections; may be null. */
	private final @Nullable DataSource pool;

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
		this(circuitBreaker, failureThreshold, waitDurationInOpenState, null);
	}

	/**
	 * Create a new instance that tells load from an outage by the pool's connections.
	 * @param circuitBreaker the breaker: count based, failure-rate threshold 100%
	 * @param failureThreshold the breaker's window: consecutive failures that open it
	 * @param waitDurationInOpenState how long it stays open before a call tries again
	 * @param pool the pool behind the breaker (a {@link HikariDataSource}, or a
	 * DataSource that unwraps to one), asked only after an acquire timeout whether it
	 * holds connections; null when unknown
	 */
	public DatabaseCircuitBreaker(CircuitBreaker circuitBreaker, int failureThreshold, Duration waitDurationInOpenState,
			@Nullable DataSource pool) {
		this.name = circuitBreaker.getName();
		this.circuitBreaker = circuitBreaker;
		this.failureThreshold = failureThreshold;
		this.waitDurationInOpenState = waitDurationInOpenState;
		this.pool = pool;
	}

	/**
	 * Create a new instance whose resilience4j breaker is made on first need.
	 * @param name the breaker's name
	 * @param factory makes the breaker (count based, failure-rate threshold 100%), once
	 * @param failureThreshold the breaker's window: consecutive failures that open it
	 * @param waitDurationInOpenState how long it stays open before a call tries again
	 * @param pool the pool behind the breaker, or null when unknown
	 */
	DatabaseCircuitBreaker(String name, Supplier<CircuitBreaker> factory, int failureThreshold,
			Duration waitDurationInOpenState, DataSource pool) {
		this.name = name;
		this.factory = factory;
		this.failureThreshold = failureThreshold;
		this.waitDurationInOpenState = waitDurationInOpenState;
		this.pool = pool;
	}

	/**
	 * Return the resilience4j breaker, making it if it was not made yet.
	 * @return the breaker
	 */
	public CircuitBreaker getCircuitBreaker() {
		CircuitBreaker breaker = this.circuitBreaker;
		if (breaker == null) {
			synchronized (this) {
				breaker = this.circuitBreaker;
				if (breaker == null) {
					breaker = this.factory.get();
					this.factory = null;
					this.circuitBreaker = breaker;
				}
			}
		}
		return breaker;
	}

	/**
	 * Return the breaker's name.
	 * @return the name, shown in health, metrics and errors
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * Return the state the breaker is in, without making it: a breaker not made yet is
	 * {@code CLOSED}.
	 * @return {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} or another of
	 * resilience4j's state names
	 */
	public String getStateName() {
		CircuitBreaker breaker = this.circuitBreaker;
		return (breaker != null) ? breaker.getState().name() : "CLOSED";
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
		CircuitBreaker circuitBreaker = getCircuitBreaker();
		if (!circuitBreaker.tryAcquirePermission()) {
			this.refused.increment();
			throw new DatabaseUnavailableException(this.name, this.failureThreshold, this.waitDurationInOpenState);
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
		catch (Error ex) {
			// Not the database's answer: the next call may try in its place.
			circuitBreaker.releasePermission();
			throw ex;
		}
		circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		if (circuitBreaker.getState() == CircuitBreaker.State.CLOSED) {
			// A failure recorded by another thread at this very moment may be
			// overwritten;
			// it then stays in the window, and the next failure is recorded as usual.
			this.healthy = true;
		}
		return connection;
	}

	/**
	 * Ask for a connection attempt whose outcome comes later (an R2DBC pool's
	 * acquisition): the entry point of a pool that is not a {@code DataSource}, with the
	 * same state machine as {@link #getConnection(ConnectionSource)}. Report the outcome
	 * with {@link #onSuccess(boolean, long)},
	 * {@link #onFailure(Throwable, boolean, long, boolean)} or
	 * {@link #releasePermission(boolean)}.
	 * @return true when the attempt went through the breaker and took a permission, false
	 * when the breaker is closed with no failure recorded (nothing to give back)
	 * @throws DatabaseUnavailableException while the breaker is open
	 */
	public boolean acquirePermission() throws DatabaseUnavailableException {
		if (this.healthy) {
			return false;
		}
		if (!getCircuitBreaker().tryAcquirePermission()) {
			this.refused.increment();
			throw new DatabaseUnavailableException(this.name, this.failureThreshold, this.waitDurationInOpenState);
		}
		return true;
	}

	/**
	 * Report that an attempt got its connection.
	 * @param permitted what {@link #acquirePermission()} returned
	 * @param nanos how long the attempt took
	 */
	public void onSuccess(boolean permitted, long nanos) {
		if (!permitted) {
			return;
		}
		CircuitBreaker circuitBreaker = getCircuitBreaker();
		circuitBreaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
		if (circuitBreaker.getState() == CircuitBreaker.State.CLOSED) {
			this.healthy = true;
		}
	}

	/**
	 * Report that an attempt got no connection.
	 * @param ex what the pool signalled
	 * @param permitted what {@link #acquirePermission()} returned
	 * @param nanos how long the attempt took
	 * @param outage whether the failure says the database cannot be reached (counted),
	 * rather than load or the caller giving up (not counted)
	 */
	public void onFailure(Throwable ex, boolean permitted, long nanos, boolean outage) {
		if (outage) {
			this.healthy = false;
			this.failures.increment();
			getCircuitBreaker().onError(nanos, TimeUnit.NANOSECONDS, ex);
		}
		else if (permitted) {
			getCircuitBreaker().releasePermission();
		}
	}

	/**
	 * Give back the permission of an attempt that ended without the database's answer
	 * (the caller cancelled it).
	 * @param permitted what {@link #acquirePermission()} returned
	 */
	public void releasePermission(boolean permitted) {
		if (permitted) {
			getCircuitBreaker().releasePermission();
		}
	}

	private void onFailure(Exception ex, long nanos, boolean permitted) {
		if (isConnectionFailure(ex) && !(isAcquireTimeout(ex) && holdsConnections())) {
			this.healthy = false;
			this.failures.increment();
			getCircuitBreaker().onError(nanos, TimeUnit.NANOSECONDS, ex);
		}
		else if (permitted) {
			// Not the database's fault: give the permission back without an outcome.
			getCircuitBreaker().releasePermission();
		}
	}

	/**
	 * Whether an exception from {@code getConnection} may say the database cannot be
	 * reached.
	 * @param ex the exception
	 * @return false for an interrupted wait and for the acquire timeout of an exhausted
	 * pool whose last attempt to open a connection did not fail
	 */
	static boolean isConnectionFailure(Throwable ex) {
		if (isAcquireTimeout(ex) && ex.getCause() == null) {
			return false;
		}
		return !(ex.getCause() instanceof InterruptedException);
	}

	private static boolean isAcquireTimeout(Throwable ex) {
		return ex instanceof SQLTransientConnectionException;
	}

	/**
	 * Whether the pool behind the breaker holds connections: then the database was
	 * reached, and an acquire timeout is load. Asked only after a failure.
	 */
	private boolean holdsConnections() {
		HikariPoolMXBean pool = hikariPool(this.pool);
		return pool != null && pool.getTotalConnections() > 0;
	}

	private static HikariPoolMXBean hikariPool(DataSource dataSource) {
		try {
			if (dataSource instanceof HikariDataSource hikari) {
				return hikari.getHikariPoolMXBean();
			}
			if (dataSource != null && dataSource.isWrapperFor(HikariDataSource.class)) {
				return dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
			}
		}
		catch (SQLException | RuntimeException ex) {
			// Not a HikariCP pool after all: the cause alone decides.
		}
		return null;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.name + " " + getStateName() + "]";
	}

}
