/**
 * The R2DBC connection pool: the pool the starter manages over r2dbc-pool, its read
 * model, statistics and the wait-limit refusal.
 */
@NullMarked
package dev.pool.r2dbc;

import org.jspecify.annotations.NullMarked;
