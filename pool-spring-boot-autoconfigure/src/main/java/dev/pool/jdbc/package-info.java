/**
 * The JDBC connection pool: {@code ManagedHikariDataSource}, the read/write DataSource,
 * the read model of the pools, their statistics and customizers.
 */
@NullMarked
package dev.pool.jdbc;

import org.jspecify.annotations.NullMarked;
