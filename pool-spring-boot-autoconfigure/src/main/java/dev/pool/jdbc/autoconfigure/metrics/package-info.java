/**
 * Auto-configuration of the meters of the JDBC pools.
 */
@NullMarked
package dev.pool.jdbc.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
