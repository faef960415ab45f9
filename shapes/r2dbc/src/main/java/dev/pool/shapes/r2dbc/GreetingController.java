package dev.pool.shapes.r2dbc;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers with what the database says.
 */
@RestController
class GreetingController {

	private final DatabaseClient database;

	GreetingController(DatabaseClient database) {
		this.database = database;
	}

	@GetMapping("/greeting")
	Mono<String> greeting() {
		return this.database.sql("SELECT 'hello from ' || current_setting('application_name') AS greeting")
			.map((row) -> row.get("greeting", String.class))
			.one();
	}

}
