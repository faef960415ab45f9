/**
 * Auto-configuration of the health of the HTTP connection pools.
 */
@NullMarked
package dev.pool.http.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
