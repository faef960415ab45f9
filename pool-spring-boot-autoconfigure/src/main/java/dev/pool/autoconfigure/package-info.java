/**
 * Failure analysis of bad {@code pool.*} values, and how the starter recognises Spring
 * Boot's DataSources.
 */
@NullMarked
package dev.pool.autoconfigure;

import org.jspecify.annotations.NullMarked;
