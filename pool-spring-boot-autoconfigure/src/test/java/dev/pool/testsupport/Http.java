package dev.pool.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A plain HTTP/1.1 client for tests against a real server on 127.0.0.1: one connection
 * per request in flight, a bounded wait for every answer.
 */
public final class Http {

	/**
	 * How long a request may wait for its answer: a bound against hanging, not a speed
	 * limit. The first request to a server of a cold JVM on a machine with every core
	 * busy (class loading, the first health check starting a pool) has been seen to take
	 * over 30s.
	 */
	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	/**
	 * Create a client for a server.
	 * @param port the server's port on 127.0.0.1
	 */
	public Http(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	/**
	 * Send a GET without waiting for the answer.
	 * @param path the path
	 * @return the answer, when it comes
	 */
	public CompletableFuture<HttpResponse<String>> getAsync(String path) {
		return this.client.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Send a GET and wait (bounded) for the answer.
	 * @param path the path
	 * @return the answer
	 */
	public HttpResponse<String> get(String path) {
		try {
			return this.client.send(request(path), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create(this.base + path)).timeout(TIMEOUT).GET().build();
	}

}
