package dev.pool.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the suite finds the servers and tools it uses, and whether a missing one skips a
 * test or fails it. Each setting is an environment variable (or the system property in
 * brackets) and has a default that fits a Debian machine with the servers of the README:
 * <ul>
 * <li>{@code POOL_TEST_POSTGRES_PORT} ({@code pool.test.postgres-port}), default
 * 5432;</li>
 * <li>{@code POOL_TEST_MARIADB_PORT} ({@code pool.test.mariadb-port}), default 3306;</li>
 * <li>{@code POOL_TEST_POSTGRES_BIN} ({@code pool.test.postgres-bin}): the folder with
 * {@code initdb} and {@code pg_ctl} for throw-away servers, default the newest
 * {@code /usr/lib/postgresql/<version>/bin};</li>
 * <li>{@code POOL_TEST_PGBOUNCER} ({@code pool.test.pgbouncer}), default
 * {@code /usr/sbin/pgbouncer};</li>
 * <li>{@code POOL_TEST_PROMTOOL} ({@code pool.test.promtool}), default
 * {@code /usr/bin/promtool}.</li>
 * </ul>
 * A port nothing listens on, or a path that does not exist, makes the suite behave as on
 * a machine without that server or tool. With {@code CI=true} or
 * {@code POOL_TEST_REQUIRE_DATABASES=true}, anything missing fails the tests that need
 * it.
 */
public final class TestEnvironment {

	private TestEnvironment() {
	}

	/**
	 * Whether a missing server or tool fails a test instead of skipping it.
	 * @return true under CI
	 */
	public static boolean required() {
		return "true".equalsIgnoreCase(System.getenv("CI"))
				|| "true".equalsIgnoreCase(System.getenv("POOL_TEST_REQUIRE_DATABASES"));
	}

	public static int postgresPort() {
		return Integer.parseInt(setting("POOL_TEST_POSTGRES_PORT", "pool.test.postgres-port").orElse("5432"));
	}

	public static int mariaDbPort() {
		return Integer.parseInt(setting("POOL_TEST_MARIADB_PORT", "pool.test.mariadb-port").orElse("3306"));
	}

	/**
	 * The folder with PostgreSQL's server programs ({@code initdb}, {@code pg_ctl}).
	 * @return the folder, which may not exist
	 */
	public static Path postgresBin() {
		return setting("POOL_TEST_POSTGRES_BIN", "pool.test.postgres-bin").map(Path::of)
			.orElseGet(TestEnvironment::newestPostgresBin);
	}

	public static Path pgBouncer() {
		return Path.of(setting("POOL_TEST_PGBOUNCER", "pool.test.pgbouncer").orElse("/usr/sbin/pgbouncer"));
	}

	public static Path promtool() {
		return Path.of(setting("POOL_TEST_PROMTOOL", "pool.test.promtool").orElse("/usr/bin/promtool"));
	}

	private static Optional<String> setting(String variable, String property) {
		String value = System.getProperty(property);
		if (value == null || value.isBlank()) {
			value = System.getenv(variable);
		}
		return (value == null || value.isBlank()) ? Optional.empty() : Optional.of(value.trim());
	}

	private static Path newestPostgresBin() {
		Path versions = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(versions)) {
			return versions.resolve("bin");
		}
		try (Stream<Path> list = Files.list(versions)) {
			return list.map((version) -> version.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve("initdb")))
				.max(Comparator.comparing((Path bin) -> versionOf(bin)))
				.orElse(versions.resolve("bin"));
		}
		catch (java.io.IOException ex) {
			return versions.resolve("bin");
		}
	}

	private static int versionOf(Path bin) {
		try {
			return Integer.parseInt(bin.getParent().getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
