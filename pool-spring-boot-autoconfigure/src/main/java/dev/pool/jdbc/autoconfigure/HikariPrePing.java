package dev.pool.jdbc.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Makes HikariCP check every connection before handing it out.
 * <p>
 * HikariCP skips its alive check for a connection used in the last 500 ms
 * ({@code com.zaxxer.hikari.aliveBypassWindowMs}), so a backend killed right after a
 * query reaches the next caller dead. The window is a JVM-wide system property that
 * HikariCP reads when a pool starts; there is no per-pool setting. With
 * {@code pool.pre-ping=true} the starter sets it to {@code -1} (check on every borrow) before
 * the pool starts, unless the JVM was started with the property already, which then wins
 * and is reported. The cost is one {@code Connection.isValid()} per borrow: a round trip to a
 * server database, a flag check for SQLite.
 */
final class HikariPrePing {

	static final String PROPERTY = "com.zaxxer.hikari.aliveBypassWindowMs";

	static final String EVERY_BORROW = "-1";

	private static final Log logger = LogFactory.getLog(HikariPrePing.class);

	private static boolean setByStarter;

	private HikariPrePing() {
	}

	/**
	 * Set or clear the alive-bypass window for pools started from now on.
	 * @param prePing whether every borrow must be checked
	 * @return whether every borrow will be checked
	 */
	static synchronized boolean apply(boolean prePing) {
		String current = System.getProperty(PROPERTY);
		if (prePing) {
			if (current == null) {
				System.setProperty(PROPERTY, EVERY_BORROW);
				setByStarter = true;
				return true;
			}
			if (!setByStarter && !EVERY_BORROW.equals(current)) {
				logger.warn("pool.pre-ping=true, but the JVM was started with -D" + PROPERTY + "=" + current
						+ ": HikariCP does not check connections used in the last " + current
						+ " ms, so a connection killed in that window can reach the caller. Remove the -D option "
						+ "to check every borrow.");
				return false;
			}
			return true;
		}
		if (setByStarter) {
			System.clearProperty(PROPERTY);
			setByStarter = false;
		}
		return false;
	}

}
