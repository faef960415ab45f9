package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.pool.http.HttpPoolStats;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;

/**
 * Counts what happens to the connections of one pool, from the events Reactor Netty sends
 * to a {@link ConnectionObserver}: {@code CONNECTED} (a new connection), {@code ACQUIRED}
 * (an idle one reused), {@code RELEASED} (back in the pool), and the channel's close.
 * <p>
 * A close is put down to the pool's {@code max-life-time} when the connection had reached
 * that age, to its {@code max-idle-time} when it had been idle in the pool that long, and
 * to anything else (the server, an error, shutdown) otherwise. Reactor Netty stamps the
 * release a moment before this recorder sees it, so an idle time within
 * {@link #CLOCK_TOLERANCE} of the limit counts as reached.
 */
final class HttpPoolRecorder implements ConnectionObserver {

	static final Duration CLOCK_TOLERANCE = Duration.ofMillis(20);

	private static final AttributeKey<Lease> LEASE = AttributeKey.valueOf(HttpPoolRecorder.class, "lease");

	private final String name;

	private final long maxIdleNanos;

	private final long maxLifeNanos;

	private final LongAdder created = new LongAdder();

	private final LongAdder reused = new LongAdder();

	private final LongAdder closedIdle = new LongAdder();

	private final LongAdder closedLife = new LongAdder();

	private final LongAdder closedOther = new LongAdder();

	private final AtomicInteger open = new AtomicInteger();

	/**
	 * Connections serving a request now. Changed on every request from every event loop:
	 * a {@link LongAdder} keeps the threads off one shared counter (an
	 * {@code AtomicInteger} here made two busy event loops take turns at one cache line).
	 */
	private final LongAdder active = new LongAdder();

	/**
	 * The pool's provider once the pool is closed for good: a connection opened after
	 * that is closed after its request. Read only when a connection is opened.
	 */
	private volatile ConnectionProvider closedProvider;

	HttpPoolRecorder(HttpPoolSettings settings) {
		this.name = settings.name();
		this.maxIdleNanos = settings.maxIdleTime().value().minus(CLOCK_TOLERANCE).toNanos();
		this.maxLifeNanos = settings.maxLifeTime().value().toNanos();
	}

	@Override
	public void onStateChange(Connection connection, State newState) {
		Channel channel = connection.channel();
		if (newState == State.CONNECTED) {
			Lease lease = new Lease(System.nanoTime());
			if (channel.attr(LEASE).setIfAbsent(lease) == null) {
				this.created.increment();
				this.open.incrementAndGet();
				this.active.increment();
				channel.closeFuture().addListener((future) -> closed(lease));
				ConnectionProvider closedProvider = this.closedProvider;
				if (closedProvider != null) {
					closeAfterRequest(connection, closedProvider);
				}
			}
		}
		else if (newState == State.ACQUIRED) {
			Lease lease = channel.attr(LEASE).get();
			if (lease != null && lease.acquire()) {
				this.reused.increment();
				this.active.increment();
			}
		}
		else if (newState == State.RELEASED) {
			Lease lease = channel.attr(LEASE).get();
			if (lease != null && lease.release(System.nanoTime())) {
				this.active.decrement();
			}
		}
	}

	/**
	 * Close the connections opened from now on after their request: the pool was closed
	 * for good, and Reactor Netty makes a disposed pool anew when a client built on it is
	 * used again.
	 * @param provider the pool's provider
	 */
	void closeLateConnections(ConnectionProvider provider) {
		this.closedProvider = provider;
	}

	/**
	 * A connection opened after the pool was closed: not kept once its request is done,
	 * and the pool made anew for it disposed again (Reactor Netty destroys a connection
	 * in use when it comes back to a disposed pool).
	 */
	private static void closeAfterRequest(Connection connection, ConnectionProvider provider) {
		connection.markPersistent(false);
		provider.disposeLater().subscribe();
	}

	private void closed(Lease lease) {
		long now = System.nanoTime();
		int leases = lease.close();
		this.active.add(-leases);
		this.open.decrementAndGet();
		if (now - lease.createdAt >= this.maxLifeNanos) {
			this.closedLife.increment();
		}
		else if (leases == 0 && now - lease.idleSince() >= this.maxIdleNanos) {
			this.closedIdle.increment();
		}
		else {
			this.closedOther.increment();
		}
	}

	/**
	 * Return the connections serving a request now.
	 * @return the count (the sum of a {@link LongAdder} read while it changes may be a
	 * moment behind, never below zero)
	 */
	int active() {
		return Math.max(0, this.active.intValue());
	}

	HttpPoolStats stats() {
		long created = this.created.sum();
		long reused = this.reused.sum();
		return new HttpPoolStats(this.name, created + reused, created, reused, this.closedIdle.sum(),
				this.closedLife.sum(), this.closedOther.sum(), this.open.get(), active());
	}

	/**
	 * One connection's state: when it was opened, how many requests hold it (a new lease
	 * can be handed out a moment before the previous release is reported), and since when
	 * it has been idle in the pool.
	 */
	private static final class Lease {

		final long createdAt;

		private int leases = 1;

		private long idleSince;

		private boolean closed;

		Lease(long createdAt) {
			this.createdAt = createdAt;
		}

		synchronized boolean acquire() {
			if (this.closed) {
				return false;
			}
			this.leases++;
			return true;
		}

		synchronized boolean release(long now) {
			if (this.closed || this.leases == 0) {
				return false;
			}
			if (--this.leases == 0) {
				this.idleSince = now;
			}
			return true;
		}

		synchronized int close() {
			this.closed = true;
			return this.leases;
		}

		synchronized long idleSince() {
			return this.idleSince;
		}

	}

}
