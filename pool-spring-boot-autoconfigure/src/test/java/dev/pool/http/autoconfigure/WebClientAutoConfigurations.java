package dev.pool.http.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

/**
 * Spring Boot's WebClient auto-configurations with the HTTP pool's, as an application
 * with {@code spring-boot-starter-webclient} gets them.
 */
final class WebClientAutoConfigurations {

	static final AutoConfigurations WITH_POOL = AutoConfigurations.of(PoolHttpAutoConfiguration.class,
			HttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
			WebClientAutoConfiguration.class);

	private WebClientAutoConfigurations() {
	}

}
