/**
 * Auto-configuration of the database circuit breaker from the {@code pool.resilience.*}
 * keys.
 */
@NullMarked
package dev.pool.resilience.autoconfigure;

import org.jspecify.annotations.NullMarked;
