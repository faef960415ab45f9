/**
 * The request limit of servlet web applications.
 */
@NullMarked
package dev.pool.limits.web.servlet;

import org.jspecify.annotations.NullMarked;
