/**
 * Load runs against a SQLite file.
 */
package dev.pool.benchmarks.sqlite;
