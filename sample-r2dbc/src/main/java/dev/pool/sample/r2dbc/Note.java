package dev.pool.sample.r2dbc;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A row of the {@code note} table.
 *
 * @param id the key the database gives it, null before it is saved
 * @param text what the note says
 */
@Table
record Note(@Id @Nullable Long id, String text) {

}
