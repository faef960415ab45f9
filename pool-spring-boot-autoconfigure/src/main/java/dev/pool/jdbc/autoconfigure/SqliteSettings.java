package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.pool.autoconfigure.PoolConfigurationException;

/**
 * What every SQLite connection gets, as sqlite-jdbc connection properties (sqlite-jdbc
 * runs each as a PRAGMA when it opens the connection; a multi-statement
 * {@code connectionInitSql} would run only its first PRAGMA).
 *
 * @param journalMode {@code journal_mode}, upper case
 * @param busyTimeout {@code busy_timeout}
 * @param synchronous {@code synchronous}, upper case
 */
record SqliteSettings(String journalMode, Duration busyTimeout, String synchronous) {

	private static final List<String> JOURNAL_MODES = List.of("wal", "delete", "truncate", "persist", "memory", "off");

	private static final List<String> SYNCHRONOUS = List.of("off", "normal", "full", "extra");

	/** sqlite-jdbc's property for the flags the connection is opened with. */
	static final String OPEN_MODE = "open_mode";

	/** sqlite-jdbc's {@code SQLiteOpenMode.READONLY} flag. */
	static final String OPEN_READ_ONLY = "1";

	/** Properties of the writer connection that reader connections must not have. */
	static final Set<String> WRITER_ONLY = Set.of("journal_mode", "transaction_mode", OPEN_MODE);

	static SqliteSettings resolve(PoolProperties.Sqlite sqlite) {
		String journalMode = oneOf("pool.sqlite.journal-mode", sqlite.getJournalMode(), JOURNAL_MODES);
		String synchronous = oneOf("pool.sqlite.synchronous", sqlite.getSynchronous(), SYNCHRONOUS);
		Duration busyTimeout = sqlite.getBusyTimeout();
		if (busyTimeout == null || busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
			throw new PoolConfigurationException("pool.sqlite.busy-timeout", sqlite.getBusyTimeout(),
					"0 or more, e.g. 5s",
					"Set pool.sqlite.busy-timeout to how long SQLite may wait for a lock, e.g. 5s.");
		}
		return new SqliteSettings(journalMode.toUpperCase(Locale.ROOT), busyTimeout,
				synchronous.toUpperCase(Locale.ROOT));
	}

	private static String oneOf(String key, String value, List<String> allowed) {
		String normalized = (value != null) ? value.trim().toLowerCase(Locale.ROOT) : "";
		if (!allowed.contains(normalized)) {
			throw new PoolConfigurationException(key, value, "one of " + String.join(", ", allowed),
					"Set " + key + " to one of " + String.join(", ", allowed) + ".");
		}
		return normalized;
	}

	/**
	 * Properties of the one writer connection: transactions begin IMMEDIATE, so a
	 * transaction takes the write lock when it starts and never fails half-way.
	 * @return sqlite-jdbc connection properties
	 */
	Map<String, String> writer() {
		Map<String, String> properties = common();
		properties.put("journal_mode", this.journalMode);
		properties.put("transaction_mode", "IMMEDIATE");
		return properties;
	}

	/**
	 * Properties of the single connection of an in-memory database (which has no WAL).
	 * @return sqlite-jdbc connection properties
	 */
	Map<String, String> inMemory() {
		return common();
	}

	private Map<String, String> common() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("busy_timeout", String.valueOf(this.busyTimeout.toMillis()));
		properties.put("synchronous", this.synchronous);
		properties.put("foreign_keys", "true");
		return properties;
	}

	/**
	 * Whether a JDBC URL names SQLite.
	 * @param url a JDBC URL
	 * @return true for {@code jdbc:sqlite:...}
	 */
	static boolean isSqlite(String url) {
		return url != null && url.regionMatches(true, 0, "jdbc:sqlite:", 0, "jdbc:sqlite:".length());
	}

	/**
	 * Whether a SQLite URL names an in-memory database ({@code jdbc:sqlite:},
	 * {@code jdbc:sqlite::memory:}, {@code jdbc:sqlite:file::memory:?cache=shared},
	 * {@code jdbc:sqlite:file:name?mode=memory&cache=shared}).
	 * @param url a SQLite JDBC URL
	 * @return true when the database lives only as long as a connection to it
	 */
	static boolean isInMemory(String url) {
		String path = url.substring("jdbc:sqlite:".length());
		String lower = path.toLowerCase(Locale.ROOT);
		return path.isEmpty() || lower.startsWith(":memory:") || lower.startsWith("file::memory:")
				|| lower.contains("mode=memory");
	}

}
