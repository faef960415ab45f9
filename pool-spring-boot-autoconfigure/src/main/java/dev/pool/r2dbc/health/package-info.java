/**
 * Health of the R2DBC pools: saturation is not DOWN, a database that cannot be reached
 * is.
 */
@NullMarked
package dev.pool.r2dbc.health;

import org.jspecify.annotations.NullMarked;
