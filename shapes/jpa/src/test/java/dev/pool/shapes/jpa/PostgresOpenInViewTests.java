package dev.pool.shapes.jpa;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL with {@code pool.read.url}, open-in-view on (Spring Boot's default): the
 * "replica" is the same database under another application name, which the read-only call
 * reads back; the read pool's connections are read-only, so a write there would fail with
 * {@code cannot execute INSERT in a read-only transaction}.
 */
@TestPropertySource(properties = "spring.jpa.open-in-view=true")
class PostgresOpenInViewTests extends OneRequestRoutingTests {

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
	void assertServedByTheReadPool(String body) {
		assertThat(body).contains("\"servedBy\":\"" + database.readName + "\"");
	}

}
