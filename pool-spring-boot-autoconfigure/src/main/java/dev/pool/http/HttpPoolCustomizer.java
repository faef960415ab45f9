package dev.pool.http;

import reactor.netty.resources.ConnectionProvider;

/**
 * Callback to customize the Reactor Netty {@link ConnectionProvider.Builder} of an HTTP
 * pool after the {@code pool.http.*} keys were applied. Beans of this type are applied in
 * order to every pool the starter makes.
 */
@FunctionalInterface
public interface HttpPoolCustomizer {

	/**
	 * Customize the builder of a pool.
	 * @param name the pool name: {@code default}, or the host's name
	 * @param builder the builder to customize
	 */
	void customize(String name, ConnectionProvider.Builder builder);

}
