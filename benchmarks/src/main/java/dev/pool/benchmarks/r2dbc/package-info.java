/**
 * Benchmark 7: R2DBC on PostgreSQL, pooled against a new connection per query, and the
 * cost of pre-ping.
 */
package dev.pool.benchmarks.r2dbc;
