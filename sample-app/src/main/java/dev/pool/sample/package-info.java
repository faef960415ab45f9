/**
 * A sample application that uses the starter.
 */
package dev.pool.sample;
