/**
 * Auto-configuration of the starter's {@code pool.r2dbc.*} meters.
 */
@NullMarked
package dev.pool.r2dbc.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
