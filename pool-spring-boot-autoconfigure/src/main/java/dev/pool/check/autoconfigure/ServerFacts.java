package dev.pool.check.autoconfigure;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What the checks read from a database server, on one of the pool's own connections (so
 * per-role and per-session settings count).
 *
 * @param product product name and version, e.g. {@code PostgreSQL 15.19}
 * @param maxConnections the server's {@code max_connections}
 * @param clientConnections client connections open on the server right now, this pool's
 * included
 * @param idleTimeoutName the setting that closes idle sessions
 * ({@code idle_session_timeout}, {@code wait_timeout})
 * @param idleTimeout its value, {@link Duration#ZERO} when off
 * @param idleInTransactionTimeout PostgreSQL's
 * {@code idle_in_transaction_session_timeout}, or null
 */
record ServerFacts(String product, int maxConnections, int clientConnections, String idleTimeoutName,
		Duration idleTimeout, @Nullable Duration idleInTransactionTimeout) {

	static final String POSTGRESQL = """
			SELECT current_setting('max_connections')::int,
			       (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int,
			       coalesce((SELECT setting::bigint FROM pg_settings WHERE name = 'idle_session_timeout'), 0),
			       (SELECT setting::bigint FROM pg_settings WHERE name = 'idle_in_transaction_session_timeout')
			""";

	static final String MARIADB = """
			SELECT @@max_connections, (SELECT count(*) FROM information_schema.PROCESSLIST WHERE COMMAND <> 'Daemon'),
			       @@session.wait_timeout
			""";

	/**
	 * Whether the checks know the server behind a JDBC URL.
	 * @param url the pool's JDBC URL
	 * @return true for PostgreSQL, MariaDB and MySQL
	 */
	static boolean isCheckable(String url) {
		String lower = (url != null) ? url.toLowerCase(Locale.ROOT) : "";
		return lower.startsWith("jdbc:postgresql:") || lower.startsWith("jdbc:mariadb:")
				|| lower.startsWith("jdbc:mysql:");
	}

	static ServerFacts read(Connection connection) throws SQLException {
		DatabaseMetaData metaData = connection.getMetaData();
		String name = metaData.getDatabaseProductName();
		String product = name + " " + metaData.getDatabaseProductVersion();
		boolean postgres = name.toLowerCase(Locale.ROOT).contains("postgres");
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(postgres ? POSTGRESQL : MARIADB)) {
			result.next();
			if (postgres) {
				return new ServerFacts(product, result.getInt(1), result.getInt(2), "idle_session_timeout",
						Duration.ofMillis(result.getLong(3)), Duration.ofMillis(result.getLong(4)));
			}
			return new ServerFacts(product, result.getInt(1), result.getInt(2), "wait_timeout",
					Duration.ofSeconds(result.getLong(3)), null);
		}
	}

}
