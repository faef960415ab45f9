/**
 * An application shape: a WebFlux application on R2DBC, without JDBC.
 */
package dev.pool.shapes.r2dbc;
