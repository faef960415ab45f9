package dev.pool.shapes.jpa;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Liquibase on a SQLite file (one writer, read-only readers).
 */
@TestPropertySource(properties = { "spring.flyway.enabled=false",
		"spring.jpa.database-platform=org.hibernate.community.dialect.SQLiteDialect" })
class LiquibaseSqliteTests extends MigrationTests {

	private static final String URL = ShapeDatabases.sqliteUrl("LiquibaseSqliteTests");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> URL);
	}

	@Override
	String historyTable() {
		return "databasechangelog";
	}

}
