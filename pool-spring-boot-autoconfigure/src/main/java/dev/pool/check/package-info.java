/**
 * The start-up check of each JDBC pool against its database server, and what it found.
 */
@NullMarked
package dev.pool.check;

import org.jspecify.annotations.NullMarked;
