package dev.pool.r2dbc.health;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.pool.Unavailable;
import dev.pool.check.ServerCheck;
import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.r2dbc.R2dbcConnectionGuard;
import dev.pool.r2dbc.R2dbcPoolDescription;
import dev.pool.r2dbc.R2dbcPoolStats;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ValidationDepth;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of one R2DBC pool: DOWN when the database cannot be reached, UP under load. A
 * pool whose every connection is in use is UP with {@code saturated: true} and is not
 * asked for a connection; otherwise one connection is borrowed and checked with a round
 * trip. With the database circuit breaker, its state shows as {@code circuitBreaker}, and
 * an open breaker is DOWN.
 */
public class R2dbcPoolHealthIndicator implements HealthIndicator {

	/** The longest the check waits for its connection and its answer. */
	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final String name;

	private final Supplier<List<R2dbcPoolDescription>> pools;

	/**
	 * Create a new instance.
	 * @param name the pool's bean name
	 * @param pools describes every R2DBC pool now
	 */
	public R2dbcPoolHealthIndicator(String name, Supplier<List<R2dbcPoolDescription>> pools) {
		this.name = name;
		this.pools = pools;
	}

	@Override
	public Health health() {
		R2dbcPoolDescription pool = this.pools.get()
			.stream()
			.filter((description) -> description.name().equals(this.name))
			.findFirst()
			.orElse(null);
		if (pool == null) {
			return Health.unknown().withDetail("pool", this.name).build();
		}
		R2dbcPoolStats stats = pool.stats();
		Health.Builder builder = Health.up();
		if (pool.credentials().rotating()) {
			builder.withDetail("credentials", pool.credentials().describe());
		}
		ServerCheck check = pool.serverCheck();
		if (check != null) {
			builder.withDetail("serverCheck", check.status().name());
			Object math = check.details().get("connectionMath");
			if (math != null) {
				builder.withDetail("connectionMath", math);
			}
			if (!check.problems().isEmpty()) {
				builder.withDetail("serverProblems", check.problems());
			}
		}
		String breaker = breakerState(pool);
		if (breaker != null) {
			builder.withDetail("circuitBreaker", breaker);
			if ("OPEN".equals(breaker)) {
				// The database kept refusing connections: callers fail at once.
				return builder.down().build();
			}
		}
		if (stats != null) {
			builder.withDetail("acquired", stats.acquired())
				.withDetail("allocated", stats.allocated())
				.withDetail("idle", stats.idle())
				.withDetail("pending", stats.pending())
				.withDetail("max", stats.maxAllocated())
				.withDetail("saturated", stats.saturated());
			if (stats.saturated()) {
				return builder.build();
			}
		}
		try {
			Boolean valid = Mono
				.usingWhen(pool.pool().create(), (connection) -> Mono.from(connection.validate(ValidationDepth.REMOTE)),
						Connection::close)
				.block(TIMEOUT);
			return Boolean.TRUE.equals(valid) ? builder.build()
					: builder.down().withDetail("error", "the connection did not pass its check").build();
		}
		catch (RuntimeException ex) {
			if (Unavailable.find(ex) != null && !"OPEN".equals(breakerState(pool))) {
				// Every connection in use and the waiting room full: load, not a fault.
				return builder.withDetail("saturated", true).build();
			}
			return builder.down(ex).build();
		}
	}

	private static @Nullable String breakerState(R2dbcPoolDescription pool) {
		R2dbcConnectionGuard guard = (pool.pool() instanceof ManagedConnectionPool managed) ? managed.getGuard() : null;
		return (guard != null) ? guard.state() : null;
	}

}
