package dev.pool.sample.r2dbc;

import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reads and writes the {@code note} table through Spring Data R2DBC.
 */
@RestController
@RequestMapping("/notes")
class NoteController {

	private final NoteRepository notes;

	NoteController(NoteRepository notes) {
		this.notes = notes;
	}

	@GetMapping
	Flux<Note> list() {
		return this.notes.findAllByOrderById();
	}

	@GetMapping("/{id}")
	Mono<ResponseEntity<Note>> get(@PathVariable long id) {
		return this.notes.findById(id).map(ResponseEntity::ok).defaultIfEmpty(ResponseEntity.notFound().build());
	}

	@PostMapping
	Mono<ResponseEntity<Object>> create(@RequestBody Map<String, String> body) {
		String text = body.get("text");
		if (text == null || text.isBlank()) {
			return Mono.just(ResponseEntity.badRequest().body(Map.of("error", "a non-empty \"text\" is required")));
		}
		return this.notes.save(new Note(null, text))
			.map((note) -> ResponseEntity.status(HttpStatus.CREATED).body(note));
	}

}
