package dev.pool.sample;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reads and writes the {@code note} table through the pooled DataSource.
 */
@RestController
@RequestMapping("/notes")
class NoteController {

	private final JdbcClient jdbc;

	NoteController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping
	@Transactional(readOnly = true)
	List<Note> list() {
		return this.jdbc.sql("SELECT id, text, created_at FROM note ORDER BY id").query(Note.class).list();
	}

	@GetMapping("/{id}")
	@Transactional(readOnly = true)
	ResponseEntity<Note> get(@PathVariable long id) {
		return ResponseEntity.of(this.jdbc.sql("SELECT id, text, created_at FROM note WHERE id = ?")
			.param(id)
			.query(Note.class)
			.optional());
	}

	@PostMapping
	@Transactional
	ResponseEntity<Object> create(@RequestBody Map<String, String> body) {
		String text = body.get("text");
		if (text == null || text.isBlank()) {
			return ResponseEntity.badRequest().body(Map.of("error", "a non-empty \"text\" is required"));
		}
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("INSERT INTO note (text) VALUES (?)").param(text).update(keys);
		long id = keys.getKey().longValue();
		return ResponseEntity.status(HttpStatus.CREATED).body(get(id).getBody());
	}

	record Note(long id, String text, String createdAt) {
	}

}
