package dev.pool.http.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@code spring.http.clients.*} timeouts the user set (null when unset). Spring
 * Boot's connector builder applies them after the starter's, so they win for the default
 * pool.
 *
 * @param connectTimeout {@code spring.http.clients.connect-timeout}
 * @param readTimeout {@code spring.http.clients.read-timeout}
 */
record BootHttpClientKeys(@Nullable Duration connectTimeout, @Nullable Duration readTimeout) {

	static final String CONNECT_TIMEOUT = "spring.http.clients.connect-timeout";

	static final String READ_TIMEOUT = "spring.http.clients.read-timeout";

	static final BootHttpClientKeys NONE = new BootHttpClientKeys(null, null);

	static BootHttpClientKeys from(Environment environment) {
		Binder binder = Binder.get(environment);
		return new BootHttpClientKeys(binder.bind(CONNECT_TIMEOUT, Duration.class).orElse(null),
				binder.bind(READ_TIMEOUT, Duration.class).orElse(null));
	}

}
