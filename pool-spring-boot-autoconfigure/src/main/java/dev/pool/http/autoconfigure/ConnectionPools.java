package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.pool.http.HttpPoolCustomizer;
import dev.pool.http.HttpPoolStats;
import dev.pool.http.HttpPools;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The HTTP connection pools of the application, made on first use from their settings
 * (which were resolved and validated when this was made), and closed gracefully when the
 * application stops: after the web server has finished its requests, before Spring's
 * {@code ReactorResourceFactory} (phase 0) shuts down the event loops the connections run
 * on.
 * <p>
 * Stopping the context ({@code stop()}, a checkpoint) closes every connection, as
 * Spring's {@code ReactorResourceFactory} does for Reactor Netty's global pool; the pools
 * stay, and the clients built on them open new connections once the context is started
 * again. Closing the context closes them for good: a pool is no longer made, and a
 * connection that a client built earlier still opens (Reactor Netty makes a closed pool
 * anew on use) is closed after its request.
 */
final class ConnectionPools implements HttpPools, SmartLifecycle, DisposableBean {

	/** Stops after the web server (which drains its requests) and before phase 0. */
	static final int PHASE = 1;

	private static final Log logger = LogFactory.getLog(ConnectionPools.class);

	private final Map<String, HttpPoolSettings> settings;

	private final List<HttpPoolCustomizer> customizers;

	private final Map<String, HttpPool> pools = new ConcurrentHashMap<>();

	/**
	 * The pools the starter serves, made or not: every named host, and the default pool
	 * when it is the starter's.
	 */
	private final Set<String> managed = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	/** Set once, when the context closes; guarded by {@code this} with the pools made. */
	private boolean closed;

	ConnectionPools(Map<String, HttpPoolSettings> settings, List<HttpPoolCustomizer> customizers) {
		this.settings = settings;
		this.customizers = customizers;
		for (Map.Entry<String, HttpPoolSettings> pool : settings.entrySet()) {
			if (pool.getValue().baseUrl() != null) {
				this.managed.add(pool.getKey());
			}
		}
	}

	/**
	 * Count a pool among the starter's before it is made, so that {@link #stats()} shows
	 * it (all zero) from start-up on.
	 * @param name the pool name
	 */
	void manage(String name) {
		this.managed.add(name);
	}

	/**
	 * Return a pool, made on first use.
	 * @param name the pool name
	 * @return the pool
	 */
	HttpPool pool(String name) {
		HttpPoolSettings poolSettings = this.settings.get(name);
		if (poolSettings == null) {
			throw new IllegalArgumentException("No HTTP pool named '" + name + "'");
		}
		HttpPool pool = this.pools.get(name);
		return (pool != null) ? pool : make(name, poolSettings);
	}

	private synchronized HttpPool make(String name, HttpPoolSettings poolSettings) {
		if (this.closed) {
			throw new IllegalStateException("HTTP pool '" + name
					+ "' was asked for after the application context closed its HTTP pools; a client is used "
					+ "after its application has shut down");
		}
		return this.pools.computeIfAbsent(name, (key) -> {
			logger.info("pool: HTTP pool " + poolSettings.summary());
			return new HttpPool(poolSettings, this.customizers);
		});
	}

	/**
	 * Return the settings of every pool, made or not, the default pool first.
	 * @return the settings by pool name
	 */
	Map<String, HttpPoolSettings> settings() {
		return this.settings;
	}

	/**
	 * Return a snapshot of every pool the starter serves: a pool not made yet (no request
	 * has used it) has every count at zero.
	 * @return the snapshots by pool name, the default pool first
	 */
	@Override
	public Map<String, HttpPoolStats> stats() {
		Map<String, HttpPoolStats> stats = new LinkedHashMap<>();
		for (String name : this.settings.keySet()) {
			HttpPool pool = this.pools.get(name);
			if (pool != null) {
				stats.put(name, pool.stats());
			}
			else if (this.managed.contains(name)) {
				// Not made yet: no request has used it.
				stats.put(name, new HttpPoolStats(name, 0, 0, 0, 0, 0, 0, 0, 0));
			}
		}
		return stats;
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Close every connection, gracefully; the pools stay, for the clients built on them,
	 * and open connections again when used.
	 */
	@Override
	public void stop() {
		this.running = false;
		List<HttpPool> pools;
		synchronized (this) {
			pools = List.copyOf(this.pools.values());
		}
		await(pools.stream().map(HttpPool::disposeLater).toList());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Close every pool for good. No pool is made after this (see {@link #pool(String)}),
	 * so none escapes.
	 */
	@Override
	public void destroy() {
		List<HttpPool> pools;
		synchronized (this) {
			this.closed = true;
			pools = List.copyOf(this.pools.values());
			this.pools.clear();
			this.managed.clear();
		}
		await(pools.stream().map(HttpPool::close).toList());
	}

	private static void await(List<Mono<Void>> closing) {
		if (!closing.isEmpty()) {
			Mono.when(closing).block(HttpPool.DISPOSE_TIMEOUT.plus(Duration.ofSeconds(5)));
		}
	}

}
