package dev.pool.r2dbc;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.pool.Durations;
import dev.pool.Unavailable;
import dev.pool.check.ServerCheck;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.pool.PoolAcquirePendingLimitException;
import reactor.pool.PooledRefMetadata;
import reactor.util.retry.Retry;

/**
 * An r2dbc-pool {@link ConnectionPool} with what r2dbc-pool leaves out:
 * <ul>
 * <li>{@code pool.acquire-timeout} bounds the whole acquisition, retries included (in
 * r2dbc-pool each retry waits {@code maxAcquireTime} again);</li>
 * <li>a connection that fails its check on the way out (dead, or silent for longer than
 * the validation time) is discarded and the next one is tried, as long as idle
 * connections remain, so that a pool of dead connections costs the callers nothing;</li>
 * <li>{@code pool.max-waiting}: the next caller fails at once with
 * {@link R2dbcWaitLimitException}, an {@link Unavailable};</li>
 * <li>an idle connection is closed after {@code pool.overflow-idle-timeout} only while
 * more than {@code pool.size} are open (r2dbc-pool closes every idle one), and a keeper
 * opens connections again up to {@code pool.size} after they are recycled or discarded
 * (r2dbc-pool issue 224);</li>
 * <li>credentials that rotate ({@link RotatingR2dbcCredentials}): a connection opened
 * before they last changed is closed instead of being handed out or taken back, and the
 * credentials are looked at periodically while the pool lives;</li>
 * <li>a guard in front of every acquisition ({@link #setGuard(R2dbcConnectionGuard)}):
 * the database circuit breaker, which fails callers at once while the database keeps
 * refusing connections.</li>
 * </ul>
 * Build one with
 * {@link #create(ConnectionPoolConfiguration.Builder, Limits, RotatingR2dbcCredentials)}.
 */
public final class ManagedConnectionPool extends ConnectionPool {

	/** Reactor's context key of the hook for values dropped after a timeout. */
	private static final String ON_NEXT_DROPPED = "reactor.onNextDropped.local";

	private final Limits limits;

	private final Disposable keeper;

	private final @Nullable RotatingR2dbcCredentials credentials;

	private final Disposable credentialsCheck;

	private final AtomicLong refused = new AtomicLong();

	private final AtomicLong timedOut = new AtomicLong();

	private final AtomicLong discarded = new AtomicLong();

	private volatile @Nullable ServerCheck serverCheck;

	private volatile @Nullable R2dbcConnectionGuard guard;

	private ManagedConnectionPool(ConnectionPoolConfiguration configuration, Limits limits,
			@Nullable RotatingR2dbcCredentials credentials, AtomicReference<ManagedConnectionPool> self) {
		super(configuration);
		this.limits = limits;
		this.credentials = credentials;
		this.credentialsCheck = (credentials != null) ? credentials.watchPeriodically() : Disposables.disposed();
		self.set(this);
		this.keeper = (limits.size() > 0 && limits.keepInterval() != null) ? Flux.interval(limits.keepInterval())
			.onBackpressureDrop()
			.concatMap((tick) -> warmup().onErrorResume((ex) -> Mono.empty()))
			.subscribe() : Disposables.disposed();
	}

	/**
	 * Create a pool from r2dbc-pool's configuration and the limits it lacks. The
	 * builder's acquire retries, acquire time and pool customizer are the pool's own:
	 * they are replaced.
	 * @param builder r2dbc-pool's configuration, with the connection factory, sizes,
	 * validation and life times set
	 * @param limits what this class adds
	 * @return the pool, not started (connections open on first use, or when the keeper
	 * first runs)
	 */
	public static ManagedConnectionPool create(ConnectionPoolConfiguration.Builder builder, Limits limits) {
		return create(builder, limits, null);
	}

	/**
	 * Create a pool from r2dbc-pool's configuration, the limits it lacks and credentials
	 * that rotate. The builder's acquire retries, acquire time and pool customizer are
	 * the pool's own: they are replaced.
	 * @param builder r2dbc-pool's configuration, with the connection factory (for
	 * rotating credentials, the one {@link RotatingR2dbcCredentials#watch} gave), sizes,
	 * validation and life times set
	 * @param limits what this class adds
	 * @param credentials the credentials of new connections when they rotate, or null
	 * @return the pool, not started (connections open on first use, or when the keeper
	 * first runs)
	 */
	public static ManagedConnectionPool create(ConnectionPoolConfiguration.Builder builder, Limits limits,
			@Nullable RotatingR2dbcCredentials credentials) {
		AtomicReference<ManagedConnectionPool> self = new AtomicReference<>();
		builder.acquireRetry(0).maxAcquireTime(ConnectionPoolConfiguration.NO_TIMEOUT).customizer((pool) -> {
			if (limits.maxWaiting() != null) {
				pool.maxPendingAcquire(limits.maxWaiting());
			}
			pool.evictionPredicate((connection, metadata) -> (credentials != null && credentials.retired(connection))
					|| limits.evicts(metadata, allocated(self.get())));
		});
		return new ManagedConnectionPool(builder.build(), limits, credentials, self);
	}

	private static int allocated(ManagedConnectionPool pool) {
		return (pool != null) ? pool.getMetrics().map(PoolMetrics::allocatedSize).orElse(0) : 0;
	}

	public Limits getLimits() {
		return this.limits;
	}

	/**
	 * Return the credentials of new connections when they rotate.
	 * @return the rotating credentials, or null when the connection factory's are fixed
	 */
	public @Nullable RotatingR2dbcCredentials getCredentials() {
		return this.credentials;
	}

	/**
	 * Return how many callers {@code pool.max-waiting} refused at once.
	 * @return the count since the pool was made
	 */
	public long getRefused() {
		return this.refused.get();
	}

	/**
	 * Return how many callers got no connection within {@code pool.acquire-timeout}.
	 * @return the count since the pool was made
	 */
	public long getTimedOut() {
		return this.timedOut.get();
	}

	/**
	 * Return how many idle connections failed their check on the way out and were
	 * discarded instead of reaching a caller.
	 * @return the count since the pool was made
	 */
	public long getDiscarded() {
		return this.discarded.get();
	}

	/**
	 * Return what the start-up check against the database server found.
	 * @return the result, null while the check runs or when none ran
	 */
	public @Nullable ServerCheck getServerCheck() {
		return this.serverCheck;
	}

	/**
	 * Record what the start-up check against the database server found.
	 * @param serverCheck the result
	 */
	public void setServerCheck(ServerCheck serverCheck) {
		this.serverCheck = serverCheck;
	}

	/**
	 * Return the guard in front of the pool's acquisitions.
	 * @return the guard (the database circuit breaker), or null for none
	 */
	public @Nullable R2dbcConnectionGuard getGuard() {
		return this.guard;
	}

	/**
	 * Put a guard in front of the pool's acquisitions: every {@link #create()} goes
	 * through it.
	 * @param guard the guard (the database circuit breaker), or null for none
	 */
	public void setGuard(@Nullable R2dbcConnectionGuard guard) {
		this.guard = guard;
	}

	@Override
	public Mono<Connection> create() {
		R2dbcConnectionGuard guard = this.guard;
		return (guard != null) ? guard.acquire(acquire(), this) : acquire();
	}

	private Mono<Connection> acquire() {
		Mono<Connection> acquire = Mono.defer(() -> {
			Attempts attempts = new Attempts(this.limits.acquireRetry(), this.discarded);
			return Mono.defer(() -> {
				attempts.fromIdle = idle() > 0;
				return super.create();
			}).onErrorMap(PoolAcquirePendingLimitException.class, (ex) -> {
				this.refused.incrementAndGet();
				return new R2dbcWaitLimitException(this.limits.name(), this.limits.maxWaiting(), ex);
			})
				.retryWhen(Retry.from((signals) -> signals.concatMap((signal) -> attempts.retry(signal.failure())
						? Mono.just(signal.totalRetries()) : Mono.error(signal.failure()))));
		});
		Duration timeout = this.limits.acquireTimeout();
		if (timeout == null) {
			return acquire;
		}
		Consumer<Object> closeDropped = (dropped) -> {
			if (dropped instanceof Connection connection) {
				Mono.from(connection.close()).subscribe();
			}
		};
		return acquire.timeout(timeout)
			.contextWrite((context) -> context.put(ON_NEXT_DROPPED, closeDropped))
			.doOnError(TimeoutException.class, (ex) -> this.timedOut.incrementAndGet())
			.onErrorMap(TimeoutException.class,
					(ex) -> new R2dbcTimeoutException("Connection acquisition from R2DBC pool '" + this.limits.name()
							+ "' timed out after " + Durations.format(timeout) + " (pool.acquire-timeout)", ex));
	}

	private int idle() {
		return getMetrics().map(PoolMetrics::idleSize).orElse(0);
	}

	@Override
	public Mono<Void> disposeLater() {
		return Mono.fromRunnable(() -> {
			this.keeper.dispose();
			this.credentialsCheck.dispose();
		}).then(super.disposeLater());
	}

	/**
	 * The retries of one acquisition: a connection taken from the idle ones that fails
	 * its check is discarded and the next is tried; a new connection that cannot be
	 * opened is tried again {@code acquireRetry} times, as r2dbc-pool does.
	 */
	private static final class Attempts {

		private final int acquireRetry;

		private final AtomicLong discarded;

		private int opened;

		private volatile boolean fromIdle;

		Attempts(int acquireRetry, AtomicLong discarded) {
			this.acquireRetry = acquireRetry;
			this.discarded = discarded;
		}

		boolean retry(Throwable failure) {
			if (failure instanceof Unavailable) {
				return false;
			}
			if (this.fromIdle) {
				this.discarded.incrementAndGet();
				return true;
			}
			return ++this.opened <= this.acquireRetry;
		}

	}

	/**
	 * What the pool adds to r2dbc-pool's configuration.
	 *
	 * @param name the pool's name, in error messages
	 * @param size connections kept open: idle ones beyond it are closed after
	 * {@code overflowIdleTimeout}, and the keeper opens connections up to it
	 * @param overflowIdleTimeout how long an idle connection beyond {@code size} lives
	 * @param recycle the age at which a connection is closed and replaced, null for never
	 * @param acquireTimeout the longest a caller waits for a connection, retries
	 * included, null for no bound
	 * @param acquireRetry how many times a connection that cannot be opened is tried
	 * again
	 * @param maxWaiting how many callers may wait for a connection, null for no bound
	 * @param keepInterval how often the keeper opens connections up to {@code size}, null
	 * for never
	 */
	public record Limits(String name, int size, Duration overflowIdleTimeout, Duration recycle, Duration acquireTimeout,
			int acquireRetry, Integer maxWaiting, Duration keepInterval) {

		/**
		 * Whether an idle connection is closed: older than {@code recycle}, or idle for
		 * {@code overflowIdleTimeout} while more than {@code size} are open.
		 * @param metadata the connection's ages
		 * @param allocated connections open now
		 * @return true to close it
		 */
		boolean evicts(PooledRefMetadata metadata, int allocated) {
			if (this.recycle != null && metadata.lifeTime() >= this.recycle.toMillis()) {
				return true;
			}
			return metadata.idleTime() >= this.overflowIdleTimeout.toMillis() && allocated > this.size;
		}

	}

}
