package dev.pool.jdbc;

import java.util.concurrent.Callable;

/**
 * Marks a borrow as a health check's, so that its timeout or wait is not counted as the
 * application's: when callers hold every connection, the check's timeout is not theirs.
 */
public final class JdbcPoolProbe {

	/**
	 * Set while a health check borrows (a thread-local look-up happens only on a slow
	 * acquisition or a timeout, never on the hot path).
	 */
	private static final ThreadLocal<Boolean> probing = new ThreadLocal<>();

	private JdbcPoolProbe() {
	}

	/**
	 * Run a health check's borrow without counting its timeout or wait.
	 * @param <T> the result type
	 * @param probe the borrow
	 * @return what the probe returns
	 * @throws Exception what the probe throws
	 */
	public static <T> T unrecorded(Callable<T> probe) throws Exception {
		probing.set(Boolean.TRUE);
		try {
			return probe.call();
		}
		finally {
			probing.remove();
		}
	}

	/**
	 * Whether the current thread borrows for a health check.
	 * @return true inside {@link #unrecorded(Callable)}
	 */
	public static boolean isProbing() {
		return probing.get() != null;
	}

}
