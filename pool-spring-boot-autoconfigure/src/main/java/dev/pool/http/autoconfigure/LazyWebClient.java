package dev.pool.http.autoconfigure;

import java.util.function.Supplier;

import org.springframework.http.HttpMethod;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A named client that is built on its first use: the first request (or {@link #mutate()})
 * builds the {@link WebClient}, its connector and its connection pool, exactly once
 * however many threads ask at the same time; every call after that goes to the built
 * client. Until then the application has loaded no Netty and no HTTP codec classes for
 * it.
 */
final class LazyWebClient implements WebClient {

	private final String name;

	private final SingletonSupplier<WebClient> client;

	LazyWebClient(String name, Supplier<WebClient> factory) {
		this.name = name;
		this.client = SingletonSupplier.of(factory);
	}

	private WebClient client() {
		return this.client.obtain();
	}

	@Override
	public RequestHeadersUriSpec<?> get() {
		return client().get();
	}

	@Override
	public RequestHeadersUriSpec<?> head() {
		return client().head();
	}

	@Override
	public RequestBodyUriSpec post() {
		return client().post();
	}

	@Override
	public RequestBodyUriSpec put() {
		return client().put();
	}

	@Override
	public RequestBodyUriSpec patch() {
		return client().patch();
	}

	@Override
	public RequestHeadersUriSpec<?> delete() {
		return client().delete();
	}

	@Override
	public RequestHeadersUriSpec<?> options() {
		return client().options();
	}

	@Override
	public RequestBodyUriSpec method(HttpMethod method) {
		return client().method(method);
	}

	@Override
	public Builder mutate() {
		return client().mutate();
	}

	@Override
	public String toString() {
		return "WebClient '" + this.name + "' (pool.http.hosts." + this.name + ")";
	}

}
