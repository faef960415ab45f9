/**
 * Auto-configuration of the health of the JDBC pools.
 */
@NullMarked
package dev.pool.jdbc.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
