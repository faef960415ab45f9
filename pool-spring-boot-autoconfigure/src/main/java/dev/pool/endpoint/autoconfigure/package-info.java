/**
 * Auto-configuration of the {@code pools} endpoint and of credential masking.
 */
@NullMarked
package dev.pool.endpoint.autoconfigure;

import org.jspecify.annotations.NullMarked;
