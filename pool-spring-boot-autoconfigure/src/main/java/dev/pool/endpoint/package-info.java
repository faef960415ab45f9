/**
 * The {@code pools} actuator endpoint and the masking of credentials in what it shows.
 */
@NullMarked
package dev.pool.endpoint;

import org.jspecify.annotations.NullMarked;
