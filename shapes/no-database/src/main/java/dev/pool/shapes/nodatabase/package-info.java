/**
 * An application shape: a WebFlux service without a database that calls others through
 * {@code WebClient}.
 */
package dev.pool.shapes.nodatabase;
