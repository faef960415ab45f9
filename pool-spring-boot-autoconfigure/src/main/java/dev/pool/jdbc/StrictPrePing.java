package dev.pool.jdbc;

import java.util.concurrent.Callable;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Makes HikariCP check every connection of one pool before handing it out.
 * <p>
 * HikariCP skips its alive check for a connection used in the last 500 ms, so a backend
 * killed right after a query reaches the next caller dead. The window comes from the system
 * property {@code com.zaxxer.hikari.aliveBypassWindowMs}, which a pool reads once, while it
 * is being made; HikariCP has no per-pool setting. So the property is set to {@code -1}
 * (check every borrow) only while one of the starter's pools starts, under a lock, and put
 * back as it was right after: other pools in the JVM keep HikariCP's own behaviour. A JVM
 * started with the property keeps its value, and that is reported.
 */
final class StrictPrePing {

	static final String PROPERTY = "com.zaxxer.hikari.aliveBypassWindowMs";

	static final String EVERY_BORROW = "-1";

	private static final Log logger = LogFactory.getLog(StrictPrePing.class);

	private static final Object lock = new Object();

	private StrictPrePing() {
	}

	/**
	 * Start a pool, with every borrow checked if asked for.
	 * @param <T> what the start returns
	 * @param strict whether the pool must check every borrow
	 * @param poolName the pool's name, for the warning
	 * @param start what makes the pool (its first borrow)
	 * @return what the start returns
	 * @throws Exception what the start throws
	 */
	static <T> T whileStarting(boolean strict, String poolName, Callable<T> start) throws Exception {
		if (!strict) {
			return start.call();
		}
		synchronized (lock) {
			String before = System.getProperty(PROPERTY);
			if (before != null) {
				if (!EVERY_BORROW.equals(before)) {
					logger.warn("pool.pre-ping=true, but the JVM was started with -D" + PROPERTY + "=" + before
							+ ": pool '" + poolName + "' does not check connections used in the last " + before
							+ " ms, so a connection killed in that window can reach the caller. Remove the -D option "
							+ "to check every borrow.");
				}
				return start.call();
			}
			System.setProperty(PROPERTY, EVERY_BORROW);
			try {
				return start.call();
			}
			finally {
				System.clearProperty(PROPERTY);
			}
		}
	}

}
