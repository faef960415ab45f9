package dev.pool.r2dbc;

import io.r2dbc.spi.Connection;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Stands in front of a {@link ManagedConnectionPool}'s acquisitions, and may refuse them
 * (the database circuit breaker does while the database keeps refusing connections).
 */
@FunctionalInterface
public interface R2dbcConnectionGuard {

	/**
	 * Guard one acquisition.
	 * @param acquisition the pool's own acquisition, not subscribed yet
	 * @param pool the pool, asked for its counts
	 * @return the acquisition as callers see it: the pool's, or a refusal
	 */
	Mono<Connection> acquire(Mono<Connection> acquisition, ManagedConnectionPool pool);

	/**
	 * Return the guard's state as health shows it.
	 * @return the state (a circuit breaker's: {@code CLOSED}, {@code OPEN},
	 * {@code HALF_OPEN}), or null when the guard has none
	 */
	default @Nullable String state() {
		return null;
	}

}
