package dev.pool.shapes.jpa;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flyway on PostgreSQL with {@code pool.read.url}.
 */
@TestPropertySource(
		properties = { "spring.liquibase.enabled=false", "spring.flyway.locations=classpath:db/migration/postgresql" })
class FlywayPostgresTests extends MigrationTests {

	private static final PostgresSchema database = new PostgresSchema();

	@BeforeAll
	static void createSchema() {
		database.create();
	}

	@AfterAll
	static void dropSchema() throws Exception {
		database.drop();
	}

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		database.register(registry);
	}

	@Override
	String historyTable() {
		return "flyway_schema_history";
	}

	@Override
	void assertServedByTheReadPool(String servedBy) {
		assertThat(servedBy).isEqualTo(database.readName);
	}

}
