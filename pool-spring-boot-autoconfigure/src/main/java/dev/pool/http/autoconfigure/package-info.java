/**
 * Auto-configuration of the HTTP connection pools from the {@code pool.http.*} keys.
 */
@NullMarked
package dev.pool.http.autoconfigure;

import org.jspecify.annotations.NullMarked;
