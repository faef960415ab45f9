/**
 * Auto-configuration of the resource limits from the {@code pool.limits.*} keys.
 */
@NullMarked
package dev.pool.limits.autoconfigure;

import org.jspecify.annotations.NullMarked;
