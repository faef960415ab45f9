/**
 * Auto-configuration of the server checks run once the application has started.
 */
@NullMarked
package dev.pool.check.autoconfigure;

import org.jspecify.annotations.NullMarked;
