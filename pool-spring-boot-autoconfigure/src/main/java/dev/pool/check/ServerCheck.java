package dev.pool.check;

import java.util.List;
import java.util.Map;

/**
 * What the start-up check of one pool against its database server found.
 *
 * @param pool the pool's name: its role ({@code primary}, {@code read}, ...), or with
 * several DataSources as health and the {@code pools} endpoint name it (the bean name,
 * {@code <bean name>/<role>}, {@code <bean name>/<routing key>})
 * @param status the outcome
 * @param database the server product and version, or why none was checked
 * @param problems what does not fit, each with its arithmetic and the values that would
 * fit
 * @param details the figures read from the server and the pool
 */
public record ServerCheck(String pool, Status status, String database, List<String> problems,
		Map<String, Object> details) {

	/**
	 * The outcome of a check.
	 */
	public enum Status {

		/** Everything fits. */
		OK,

		/** At least one problem: logged as a WARN. */
		MISCONFIGURED,

		/** The server could not be asked (down, slow, no permission). */
		UNKNOWN,

		/** Not a server the starter knows how to check (SQLite, H2, ...). */
		SKIPPED

	}

}
