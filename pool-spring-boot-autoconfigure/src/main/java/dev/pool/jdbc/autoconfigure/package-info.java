/**
 * Auto-configuration of the JDBC pools: the {@code pool.*} keys and profiles, their
 * mapping onto HikariCP and the layout of the application's DataSource.
 */
@NullMarked
package dev.pool.jdbc.autoconfigure;

import org.jspecify.annotations.NullMarked;
