package dev.pool.shapes.jpa;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Flyway on a SQLite file with {@code spring.flyway.url} naming the same file: Flyway
 * opens a connection of its own.
 */
@TestPropertySource(
		properties = { "spring.liquibase.enabled=false", "spring.flyway.locations=classpath:db/migration/sqlite",
				"spring.jpa.database-platform=org.hibernate.community.dialect.SQLiteDialect" })
class FlywayUrlSqliteTests extends MigrationTests {

	private static final String URL = ShapeDatabases.sqliteUrl("FlywayUrlSqliteTests");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> URL);
		registry.add("spring.flyway.url", () -> URL);
	}

	@Override
	String historyTable() {
		return "flyway_schema_history";
	}

}
