package dev.pool.shapes.jpa;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import dev.pool.testsupport.TestEnvironment;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases of this shape: a SQLite file under {@code target}, and the local
 * PostgreSQL on 127.0.0.1 with a schema of the test's own, reached by two application
 * names (one for the write pool, one for {@code pool.read.url}).
 */
final class ShapeDatabases {

	static final String POSTGRES = "jdbc:postgresql://127.0.0.1:" + TestEnvironment.postgresPort() + "/test";

	static final String POSTGRES_USER = "postgres";

	private ShapeDatabases() {
	}

	static String id() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	static String sqliteUrl(String name) {
		try {
			Path directory = Files.createDirectories(Path.of("target", "shapes-jpa"));
			return "jdbc:sqlite:" + directory.resolve(name + "-" + id() + ".db").toAbsolutePath();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A URL of the local PostgreSQL in a schema, under an application name.
	 * @param schema the schema (the search path)
	 * @param applicationName the application name of the connections
	 * @return the URL
	 */
	static String postgresUrl(String schema, String applicationName) {
		return POSTGRES + "?currentSchema=" + schema + "&ApplicationName=" + applicationName;
	}

	/**
	 * Skip (on a developer machine) or fail (in CI) when PostgreSQL does not answer, and
	 * create the schema.
	 * @param schema the schema to create
	 */
	static void createPostgresSchema(String schema) {
		try {
			execute("CREATE SCHEMA " + schema);
		}
		catch (SQLException ex) {
			if (TestEnvironment.required()) {
				throw new IllegalStateException("PostgreSQL is required (CI) but " + POSTGRES + " failed", ex);
			}
			Assumptions.abort("PostgreSQL at " + POSTGRES + " is not reachable: " + ex.getMessage());
		}
	}

	static void dropPostgresSchema(String schema) throws SQLException {
		execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(POSTGRES, POSTGRES_USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
