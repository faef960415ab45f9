package dev.pool.shapes.jpa;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration tool (Flyway or Liquibase, one at a time: with both on the classpath Spring
 * Boot runs both) creates the schema at start-up through the application's DataSource: it
 * runs on the write pool (on the read pool it would fail), and the read pool sees the
 * migrated table at once.
 */
@SpringBootTest(classes = JpaShapeApplication.class, webEnvironment = WebEnvironment.NONE,
		properties = "spring.jpa.hibernate.ddl-auto=none")
@DirtiesContext
abstract class MigrationTests {

	@Autowired
	private NoteService service;

	@Autowired
	private NoteRepository notes;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void theReadPoolSeesTheMigratedSchemaAndTheWritePoolWritesIt() {
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM " + historyTable(), Integer.class))
			.as("migrations applied")
			.isPositive();
		NoteService.Reading empty = this.service.read();
		assertThat(empty.count()).isZero();
		assertThat(empty.pools()).isEqualTo("write=0,read=1");
		assertServedByTheReadPool(empty.servedBy());
		this.notes.save(new Note("migrated"));
		assertThat(this.service.read().count()).isOne();
	}

	/**
	 * The table the tool records its migrations in.
	 * @return the table
	 */
	abstract String historyTable();

	void assertServedByTheReadPool(String servedBy) {
	}

}
