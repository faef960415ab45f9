package dev.pool.jdbc.autoconfigure;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.ManagedHikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Releases the connections of every pool the starter made (Spring Boot's DataSource, and
 * the read pool beside it: SQLite's writer and readers, the primary and the replica of
 * {@code pool.read.url}) when the application context is stopped, and lets them fill
 * again when it is started, as for a checkpoint and restore.
 * <p>
 * Stopped, a pool keeps no idle connection (its {@code minimumIdle} is 0 through
 * HikariCP's {@code HikariConfigMXBean}) and every connection is evicted: idle ones are
 * closed at once, those in use when they are returned. {@code stop()} waits for that, up
 * to the pool's connection timeout. A borrow while stopped still gets a connection,
 * opened for it. Started again, the pool has its size back and HikariCP refills it (at
 * once for the borrows that come, in the background within its 30-second housekeeping
 * period).
 * <p>
 * Spring Boot's own {@code HikariCheckpointRestoreLifecycle} does the same for one pool
 * (and only with a checkpoint-restore runtime and {@code allow-pool-suspension}); this
 * needs neither, so that no borrow pays for suspension. When the context closes, the
 * pools are closed instead (see {@link PoolDataSourceBeanPostProcessor}). The
 * application's own HikariDataSource beans are left as they are.
 */
class JdbcPoolLifecycle implements SmartLifecycle {

	/**
	 * Stops after everything that may use a connection (the web server, schedulers and
	 * message listeners stop in higher phases) and starts before it.
	 */
	static final int PHASE = Integer.MIN_VALUE + 1000;

	private static final Log logger = LogFactory.getLog(JdbcPoolLifecycle.class);

	/** How often {@code stop()} looks whether the connections were closed. */
	private static final long POLL_MILLIS = 20;

	private final ObjectProvider<JdbcPoolRegistry> registry;

	private final ConfigurableApplicationContext context;

	/** The pools stopped, with the {@code minimumIdle} they get back on start. */
	private final Map<HikariDataSource, Integer> stopped = new IdentityHashMap<>();

	private volatile boolean running;

	JdbcPoolLifecycle(ObjectProvider<JdbcPoolRegistry> registry, ConfigurableApplicationContext context) {
		this.registry = registry;
		this.context = context;
	}

	@Override
	public synchronized void start() {
		this.stopped.forEach((pool, minimumIdle) -> {
			if (!pool.isClosed()) {
				pool.setMinimumIdle(minimumIdle);
			}
		});
		if (!this.stopped.isEmpty()) {
			logger.info("pool: " + this.stopped.size() + " JDBC pools started again: "
					+ this.stopped.keySet().stream().map(HikariDataSource::getPoolName).toList());
		}
		this.stopped.clear();
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.context.isClosed()) {
			// Closing: the pools are closed next, with every connection.
			return;
		}
		long deadline = 0;
		for (HikariDataSource pool : pools()) {
			HikariPoolMXBean live = pool.getHikariPoolMXBean();
			if (live == null || pool.isClosed() || this.stopped.containsKey(pool)) {
				continue;
			}
			this.stopped.put(pool, pool.getMinimumIdle());
			pool.setMinimumIdle(0);
			live.softEvictConnections();
			deadline = Math.max(deadline, System.nanoTime() + (pool.getConnectionTimeout() + 250) * 1_000_000);
		}
		if (!this.stopped.isEmpty()) {
			awaitClosed(deadline);
		}
	}

	/**
	 * Wait until no pool has a connection left: those in use are closed as their callers
	 * return them.
	 */
	private void awaitClosed(long deadline) {
		while (true) {
			List<String> open = this.stopped.keySet()
				.stream()
				.filter((pool) -> pool.getHikariPoolMXBean() != null
						&& pool.getHikariPoolMXBean().getTotalConnections() > 0)
				.map(HikariDataSource::getPoolName)
				.toList();
			if (open.isEmpty()) {
				logger.info("pool: JDBC pools stopped, no connection left open: "
						+ this.stopped.keySet().stream().map(HikariDataSource::getPoolName).toList());
				return;
			}
			if (System.nanoTime() - deadline > 0) {
				logger.warn("pool: JDBC pools " + open + " still have connections in use after stop; they are closed "
						+ "when their callers return them");
				return;
			}
			try {
				Thread.sleep(POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private List<HikariDataSource> pools() {
		JdbcPoolRegistry registry = this.registry.getIfAvailable();
		if (registry == null) {
			return List.of();
		}
		return registry.describe()
			.stream()
			.map(JdbcPoolDescription::dataSource)
			.filter(ManagedHikariDataSource.class::isInstance)
			.toList();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
