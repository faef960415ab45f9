package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.pool.Credentials;
import dev.pool.jdbc.RotatingCredentials;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The periodic check of the pools' rotating credentials: one daemon thread
 * ({@code pool-credentials}), started only when a pool has credentials that rotate, and
 * stopped when the application context closes. A check costs a {@code stat} per file, or
 * nothing until a provider's answer expired.
 */
final class CredentialsWatcher implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(CredentialsWatcher.class);

	private ScheduledExecutorService executor;

	private boolean closed;

	/**
	 * Check a pool's credentials at an interval.
	 * @param credentials the pool's credentials
	 * @param interval the interval
	 */
	synchronized void watch(RotatingCredentials credentials, Duration interval) {
		if (this.closed) {
			return;
		}
		if (this.executor == null) {
			this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "pool-credentials");
				thread.setDaemon(true);
				return thread;
			});
		}
		long millis = interval.toMillis();
		this.executor.scheduleWithFixedDelay(() -> check(credentials), millis, millis, TimeUnit.MILLISECONDS);
	}

	private static void check(RotatingCredentials credentials) {
		try {
			credentials.check();
		}
		catch (Throwable ex) {
			// The schedule must go on: the next check tries again.
			logger.debug("pool: checking " + credentials + " failed: " + Credentials.mask(String.valueOf(ex)));
		}
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

}
