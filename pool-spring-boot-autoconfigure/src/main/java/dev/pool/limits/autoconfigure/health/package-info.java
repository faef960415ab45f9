/**
 * Auto-configuration of the health of the resource limits.
 */
@NullMarked
package dev.pool.limits.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
