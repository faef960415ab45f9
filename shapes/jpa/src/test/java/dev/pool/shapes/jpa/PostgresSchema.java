package dev.pool.shapes.jpa;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A schema of a test's own on the local PostgreSQL, reached by the write pool and by
 * {@code pool.read.url} under two application names.
 */
final class PostgresSchema {

	final String id = ShapeDatabases.id();

	final String schema = "shapes_jpa_" + this.id;

	final String writeName = "shapes-jpa-write-" + this.id;

	final String readName = "shapes-jpa-read-" + this.id;

	void create() {
		ShapeDatabases.createPostgresSchema(this.schema);
	}

	void drop() throws Exception {
		ShapeDatabases.dropPostgresSchema(this.schema);
	}

	String url(String applicationName) {
		return ShapeDatabases.postgresUrl(this.schema, applicationName);
	}

	void register(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> url(this.writeName));
		registry.add("spring.datasource.username", () -> ShapeDatabases.POSTGRES_USER);
		registry.add("pool.read.url", () -> url(this.readName));
		registry.add("pool.size", () -> "2");
		registry.add("pool.read.size", () -> "1");
		registry.add("shape.served-by-query", () -> "SELECT current_setting('application_name')");
	}

}
