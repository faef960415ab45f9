/**
 * Load runs of the HTTP connection pools.
 */
package dev.pool.benchmarks.http;
