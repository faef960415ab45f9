/**
 * The {@code pool} health component that gathers the health of each kind of pool.
 */
@NullMarked
package dev.pool.health;

import org.jspecify.annotations.NullMarked;
