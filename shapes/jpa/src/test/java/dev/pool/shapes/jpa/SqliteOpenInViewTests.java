package dev.pool.shapes.jpa;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A SQLite file (one writer, read-only readers) with open-in-view on, Spring Boot's
 * default: a write on a reader would fail with {@code attempt to write a readonly
 * database}.
 */
@TestPropertySource(properties = { "spring.jpa.open-in-view=true",
		"spring.jpa.database-platform=org.hibernate.community.dialect.SQLiteDialect" })
class SqliteOpenInViewTests extends OneRequestRoutingTests {

	private static final String URL = ShapeDatabases.sqliteUrl("open-in-view");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> URL);
	}

}
