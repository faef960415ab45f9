/**
 * The database circuit breaker: a DataSource that fails at once while the database is
 * down.
 */
@NullMarked
package dev.pool.resilience;

import org.jspecify.annotations.NullMarked;
