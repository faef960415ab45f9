/**
 * The start-up cost of the starter: ready time, classes and beans.
 */
package dev.pool.benchmarks.startup;
