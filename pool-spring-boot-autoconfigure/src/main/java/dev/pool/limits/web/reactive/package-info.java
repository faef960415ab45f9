/**
 * The request limit of reactive web applications.
 */
@NullMarked
package dev.pool.limits.web.reactive;

import org.jspecify.annotations.NullMarked;
