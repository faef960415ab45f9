/**
 * Meters of the database circuit breakers.
 */
@NullMarked
package dev.pool.resilience.metrics;

import org.jspecify.annotations.NullMarked;
