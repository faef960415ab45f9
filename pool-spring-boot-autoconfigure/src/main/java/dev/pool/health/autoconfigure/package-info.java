/**
 * Auto-configuration of the {@code pool} health component.
 */
@NullMarked
package dev.pool.health.autoconfigure;

import org.jspecify.annotations.NullMarked;
