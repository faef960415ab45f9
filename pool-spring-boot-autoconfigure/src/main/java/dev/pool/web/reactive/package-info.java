/**
 * A 503 answer with {@code Retry-After} for WebFlux requests that failed because a
 * resource is unavailable.
 */
@NullMarked
package dev.pool.web.reactive;

import org.jspecify.annotations.NullMarked;
