/**
 * HTTP connection pools of Reactor Netty {@code WebClient}s: the pooled clients, their
 * read model, statistics and customizers.
 */
@NullMarked
package dev.pool.http;

import org.jspecify.annotations.NullMarked;
