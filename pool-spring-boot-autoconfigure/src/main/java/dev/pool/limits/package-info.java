/**
 * Resource limits: the request limit, the heap limit, batch sizes and the executor for
 * CPU-heavy work.
 */
@NullMarked
package dev.pool.limits;

import org.jspecify.annotations.NullMarked;
