/**
 * Health of the resource limits.
 */
@NullMarked
package dev.pool.limits.health;

import org.jspecify.annotations.NullMarked;
