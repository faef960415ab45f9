/**
 * A {@code JdbcTemplate} that sends batch updates in chunks.
 */
@NullMarked
package dev.pool.limits.jdbc;

import org.jspecify.annotations.NullMarked;
