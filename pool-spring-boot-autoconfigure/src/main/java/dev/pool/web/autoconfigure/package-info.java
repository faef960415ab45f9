/**
 * Auto-configuration of the answer to requests that failed because a resource is
 * unavailable.
 */
@NullMarked
package dev.pool.web.autoconfigure;

import org.jspecify.annotations.NullMarked;
