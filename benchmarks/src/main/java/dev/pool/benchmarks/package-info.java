/**
 * Benchmarks of the starter against plain Spring Boot, measured as ratios in one run.
 */
package dev.pool.benchmarks;
