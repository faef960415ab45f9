package dev.pool.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Assumptions;

/**
 * The real database servers the tests use: PostgreSQL and MariaDB on 127.0.0.1 (ports
 * from {@link TestEnvironment}). The one place that decides whether a missing server or
 * tool skips a test (a developer machine) or fails it ({@code CI=true} or
 * {@code POOL_TEST_REQUIRE_DATABASES=true}). Skipped tests are counted in one line at the
 * end of the run ({@link SkippedTestsSummary}).
 */
public final class Databases {

	public static final int POSTGRES_PORT = TestEnvironment.postgresPort();

	public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:" + POSTGRES_PORT + "/test";

	public static final String POSTGRES_USER = "postgres";

	public static final int MARIADB_PORT = TestEnvironment.mariaDbPort();

	public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:" + MARIADB_PORT + "/test";

	public static final String MARIADB_USER = "root";

	private Databases() {
	}

	public static void assumePostgres() {
		assumeReachable("PostgreSQL", POSTGRES_URL, POSTGRES_USER);
	}

	public static void assumeMariaDb() {
		assumeReachable("MariaDB", MARIADB_URL, MARIADB_USER);
	}

	public static Connection postgres() throws SQLException {
		return DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "");
	}

	/**
	 * Count the server backends that carry an application name.
	 * @param applicationName the name the pool's connections set
	 * @return how many backends are connected with it
	 */
	public static int postgresBackends(String applicationName) throws SQLException {
		try (Connection connection = postgres();
				PreparedStatement statement = connection
					.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
			statement.setString(1, applicationName);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

	/**
	 * Kill every backend that carries an application name, as an administrator or a
	 * server restart would.
	 * @param applicationName the name the pool's connections set
	 * @return how many backends were told to terminate
	 */
	public static int terminatePostgresBackends(String applicationName) throws SQLException {
		try (Connection connection = postgres();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
			statement.setString(1, applicationName);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

	public static Connection mariaDb() throws SQLException {
		return DriverManager.getConnection(MARIADB_URL, MARIADB_USER, "");
	}

	/**
	 * Run statements as an administrator.
	 * @param connection an administrator's connection, closed afterwards
	 * @param statements the SQL to run in order
	 */
	public static void execute(Connection connection, String... statements) throws SQLException {
		try (connection; Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

	/**
	 * Read one value as an administrator.
	 * @param connection an administrator's connection, closed afterwards
	 * @param sql a query returning one row
	 * @return the first column of the first row
	 */
	public static String query(Connection connection, String sql) throws SQLException {
		try (connection;
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getString(1);
		}
	}

	/**
	 * Skip a test whose tool is missing on a developer machine; fail it under CI.
	 * @param available whether the tool is there
	 * @param requirement what is needed and where it comes from
	 */
	public static void assumeAvailable(boolean available, String requirement) {
		if (!available) {
			if (TestEnvironment.required()) {
				throw new AssertionError(requirement + " (required when CI=true)");
			}
			Assumptions.abort(requirement);
		}
	}

	private static void assumeReachable(String name, String url, String user) {
		try (Connection connection = DriverManager.getConnection(url, user, "");
				Statement statement = connection.createStatement()) {
			statement.execute("SELECT 1");
		}
		catch (SQLException ex) {
			// The reason of a skip is the same for every test, so the summary can count
			// them.
			String message = name + " not reachable at " + url;
			if (TestEnvironment.required()) {
				throw new AssertionError(message + ": " + ex.getMessage() + " (databases are required when CI=true)",
						ex);
			}
			Assumptions.abort(message);
		}
	}

}
