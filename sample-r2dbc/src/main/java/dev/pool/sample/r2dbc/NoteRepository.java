package dev.pool.sample.r2dbc;

import reactor.core.publisher.Flux;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/**
 * The notes, through Spring Data R2DBC and the pooled {@code ConnectionFactory}.
 */
interface NoteRepository extends ReactiveCrudRepository<Note, Long> {

	Flux<Note> findAllByOrderById();

}
