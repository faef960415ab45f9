package dev.pool.http;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Callback to customize the {@link WebClient.Builder} of a named client (a host under
 * {@code pool.http.hosts}) before its client is built, for example to add a header or a
 * filter for that host only. Beans of this type are applied in order.
 */
@FunctionalInterface
public interface PooledWebClientCustomizer {

	/**
	 * Customize the builder of a named client.
	 * @param name the host's name
	 * @param builder the builder, with the base URL and the host's connector set
	 */
	void customize(String name, WebClient.Builder builder);

}
