/**
 * JMH benchmarks of the borrow and return of a connection on a stub driver.
 */
package dev.pool.benchmarks.hotpath;
