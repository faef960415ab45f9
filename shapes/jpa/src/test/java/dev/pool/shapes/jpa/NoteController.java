package dev.pool.shapes.jpa;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Both orders of a read-only service call and a save in ONE request: with open-in-view,
 * one Hibernate session (and one logical JDBC connection) spans both transactions.
 */
@RestController
class NoteController {

	private final NoteService service;

	private final NoteRepository notes;

	NoteController(NoteService service, NoteRepository notes) {
		this.service = service;
		this.notes = notes;
	}

	@PostMapping("/read-then-save")
	Map<String, Object> readThenSave(@RequestParam String text) {
		NoteService.Reading reading = this.service.read();
		Note saved = this.notes.save(new Note(text));
		return result(reading, saved);
	}

	@PostMapping("/save-then-read")
	Map<String, Object> saveThenRead(@RequestParam String text) {
		Note saved = this.notes.save(new Note(text));
		NoteService.Reading reading = this.service.read();
		return result(reading, saved);
	}

	private static Map<String, Object> result(NoteService.Reading reading, Note saved) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("count", reading.count());
		result.put("pools", reading.pools());
		result.put("servedBy", reading.servedBy());
		result.put("saved", saved.getId());
		return result;
	}

	@ExceptionHandler
	ResponseEntity<String> failed(Exception ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(cause.toString());
	}

}
