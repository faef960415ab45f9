/**
 * A stub JDBC driver that answers without a database.
 */
package dev.pool.benchmarks.stub;
