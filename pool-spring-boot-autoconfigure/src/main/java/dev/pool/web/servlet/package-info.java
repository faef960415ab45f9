/**
 * A 503 answer with {@code Retry-After} for Spring MVC requests that failed because a
 * resource is unavailable.
 */
@NullMarked
package dev.pool.web.servlet;

import org.jspecify.annotations.NullMarked;
