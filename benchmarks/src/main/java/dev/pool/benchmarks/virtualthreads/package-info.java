/**
 * Load runs on virtual threads.
 */
package dev.pool.benchmarks.virtualthreads;
