package dev.pool.shapes.jpa;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL with {@code pool.read.url}, open-in-view off: the "replica" is the same
 * database under another application name, which the read-only call reads back; the read
 * pool's connections are read-only, so a write there would fail with
 * {@code cannot execute INSERT in a read-only transaction}.
 */
@TestPropertySource(properties = { "spring.jpa.open-in-view=false",
		"shape.served-by-query=SELECT current_setting('application_name')" })
class PostgresWithoutOpenInViewTests extends OneRequestRoutingTests {

	private static final String ID = ShapeDatabases.id();

	private static final String SCHEMA = "shapes_jpa_" + ID;

	private static final String READ_NAME = "shapes-jpa-read-" + ID;

	@BeforeAll
	static void createSchema() {
		ShapeDatabases.createPostgresSchema(SCHEMA);
	}

	@AfterAll
	static void dropSchema() throws Exception {
		ShapeDatabases.dropPostgresSchema(SCHEMA);
	}

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> ShapeDatabases.postgresUrl(SCHEMA, "shapes-jpa-write-" + ID));
		registry.add("spring.datasource.username", () -> ShapeDatabases.POSTGRES_USER);
		registry.add("pool.read.url", () -> ShapeDatabases.postgresUrl(SCHEMA, READ_NAME));
		registry.add("pool.size", () -> "2");
		registry.add("pool.read.size", () -> "1");
	}

	@Override
	void assertServedByTheReadPool(String body) {
		assertThat(body).contains("\"servedBy\":\"" + READ_NAME + "\"");
	}

}
