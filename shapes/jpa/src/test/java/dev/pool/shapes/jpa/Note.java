package dev.pool.shapes.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "shape_note")
class Note {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String text;

	protected Note() {
	}

	Note(String text) {
		this.text = text;
	}

	Long getId() {
		return this.id;
	}

	String getText() {
		return this.text;
	}

}
