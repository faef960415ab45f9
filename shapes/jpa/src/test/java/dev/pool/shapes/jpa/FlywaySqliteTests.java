package dev.pool.shapes.jpa;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Flyway on a SQLite file (one writer, read-only readers).
 */
@TestPropertySource(
		properties = { "spring.liquibase.enabled=false", "spring.flyway.locations=classpath:db/migration/sqlite",
				"spring.jpa.database-platform=org.hibernate.community.dialect.SQLiteDialect" })
class FlywaySqliteTests extends MigrationTests {

	private static final String URL = ShapeDatabases.sqliteUrl("FlywaySqliteTests");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> URL);
	}

	@Override
	String historyTable() {
		return "flyway_schema_history";
	}

}
