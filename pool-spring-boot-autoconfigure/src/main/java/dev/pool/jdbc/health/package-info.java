/**
 * Health of one JDBC pool.
 */
@NullMarked
package dev.pool.jdbc.health;

import org.jspecify.annotations.NullMarked;
