/**
 * Load runs against PostgreSQL.
 */
package dev.pool.benchmarks.postgres;
