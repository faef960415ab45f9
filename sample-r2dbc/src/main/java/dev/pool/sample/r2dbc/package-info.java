/**
 * The reactive sample: a WebFlux + Spring Data R2DBC application on an embedded H2 file
 * with the starter.
 */
package dev.pool.sample.r2dbc;
