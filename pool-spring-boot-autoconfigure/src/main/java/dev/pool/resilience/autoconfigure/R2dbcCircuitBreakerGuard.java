package dev.pool.resilience.autoconfigure;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.pool.Unavailable;
import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.r2dbc.R2dbcConnectionGuard;
import dev.pool.resilience.DatabaseCircuitBreaker;
import dev.pool.resilience.DatabaseUnavailableException;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A {@link DatabaseCircuitBreaker} in front of an R2DBC pool's acquisitions, with the
 * JDBC pools' rules: consecutive failed acquisitions open it, an acquire timeout counts
 * only while the pool holds no connection (otherwise it is load), a caller refused by
 * {@code pool.max-waiting} or that cancels never counts; while open an acquisition fails
 * at once with {@code DatabaseUnavailableException}, without a connection attempt.
 */
final class R2dbcCircuitBreakerGuard implements R2dbcConnectionGuard {

	private final DatabaseCircuitBreaker breaker;

	R2dbcCircuitBreakerGuard(DatabaseCircuitBreaker breaker) {
		this.breaker = breaker;
	}

	DatabaseCircuitBreaker getBreaker() {
		return this.breaker;
	}

	@Override
	public Mono<Connection> acquire(Mono<Connection> acquisition, ManagedConnectionPool pool) {
		return Mono.defer(() -> {
			boolean permitted;
			try {
				permitted = this.breaker.acquirePermission();
			}
			catch (DatabaseUnavailableException ex) {
				// Open: no connection attempt.
				return Mono.error(ex);
			}
			long start = System.nanoTime();
			AtomicBoolean reported = new AtomicBoolean();
			return acquisition.doOnSuccess((connection) -> {
				if (reported.compareAndSet(false, true)) {
					this.breaker.onSuccess(permitted, System.nanoTime() - start);
				}
			}).doOnError((ex) -> {
				if (reported.compareAndSet(false, true)) {
					this.breaker.onFailure(ex, permitted, System.nanoTime() - start, isOutage(ex, pool));
				}
			}).doOnCancel(() -> {
				if (reported.compareAndSet(false, true)) {
					this.breaker.releasePermission(permitted);
				}
			});
		});
	}

	/**
	 * Whether a failed acquisition says the database cannot be reached.
	 * @param ex what the pool signalled
	 * @param pool the pool, asked after an acquire timeout whether it holds connections
	 * @return false for a refusal of {@code pool.max-waiting} and for an acquire timeout
	 * while the pool holds connections
	 */
	static boolean isOutage(Throwable ex, ManagedConnectionPool pool) {
		if (ex instanceof Unavailable) {
			return false;
		}
		if (ex instanceof R2dbcTimeoutException && ex.getCause() instanceof TimeoutException) {
			return pool.getMetrics().map(PoolMetrics::allocatedSize).orElse(0) == 0;
		}
		return true;
	}

	@Override
	public @Nullable String state() {
		return this.breaker.getStateName();
	}

	@Override
	public String toString() {
		return this.breaker.toString();
	}

}
