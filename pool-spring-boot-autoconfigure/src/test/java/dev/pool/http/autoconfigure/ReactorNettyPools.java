package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * Reads back what a built Reactor Netty pool and connector were given. Reactor Netty has
 * public getters only for the maximum connections, so the rest is read from the pool
 * factory's description, the line Reactor Netty logs when it creates a pool.
 */
final class ReactorNettyPools {

	private ReactorNettyPools() {
	}

	/**
	 * The settings of a provider's pools, as Reactor Netty describes them:
	 * {@code evictionInterval}, {@code leasingStrategy}, {@code maxConnections},
	 * {@code maxIdleTime} (ms), {@code maxLifeTime} (ms), {@code metricsEnabled},
	 * {@code pendingAcquireMaxCount}, {@code pendingAcquireTimeout} (ms).
	 */
	static Map<String, String> settings(ConnectionProvider provider) {
		String description = String.valueOf(ReflectionTestUtils.getField(provider, "defaultPoolFactory"));
		String fields = description.substring(description.indexOf('{') + 1, description.lastIndexOf('}'));
		Map<String, String> settings = new LinkedHashMap<>();
		for (String field : fields.split(", ")) {
			String[] pair = field.split("=", 2);
			settings.put(pair[0], pair[1]);
		}
		return settings;
	}

	static HttpClient httpClient(ClientHttpConnector connector) {
		return (HttpClient) ReflectionTestUtils.getField(connector, "httpClient");
	}

	static Object connectTimeoutMillis(HttpClient client) {
		return client.configuration().options().get(ChannelOption.CONNECT_TIMEOUT_MILLIS);
	}

	static Duration responseTimeout(HttpClient client) {
		return client.configuration().responseTimeout();
	}

	static ConnectionProvider provider(HttpClient client) {
		return client.configuration().connectionProvider();
	}

}
