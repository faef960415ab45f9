/**
 * Auto-configuration of the R2DBC pool: the {@code pool.*} keys applied to Spring Boot's
 * r2dbc-pool {@code ConnectionPool}.
 */
@NullMarked
package dev.pool.r2dbc.autoconfigure;

import org.jspecify.annotations.NullMarked;
