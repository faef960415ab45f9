/**
 * Auto-configuration of the meters of the HTTP connection pools.
 */
@NullMarked
package dev.pool.http.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
