/**
 * Health of one HTTP connection pool.
 */
@NullMarked
package dev.pool.http.health;

import org.jspecify.annotations.NullMarked;
