/**
 * Meters of the resource limits.
 */
@NullMarked
package dev.pool.limits.metrics;

import org.jspecify.annotations.NullMarked;
