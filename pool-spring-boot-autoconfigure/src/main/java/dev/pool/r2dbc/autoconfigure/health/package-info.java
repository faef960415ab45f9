/**
 * Auto-configuration of the R2DBC pools' health: the {@code r2dbc} child of the {@code
 * pool} component.
 */
@NullMarked
package dev.pool.r2dbc.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
