package dev.pool.testsupport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A Reactor Netty HTTP server on 127.0.0.1 and a random port that counts its TCP
 * connections. {@code GET /ok} answers "ok", {@code GET /fail} answers 500, and
 * {@code GET /pause} answers after a one-second pause, {@code GET /hold} answers only
 * once {@link #release()} is called, so a test can keep requests in flight without
 * sleeping. Register it as a field with {@code @RegisterExtension} and it stops after
 * each test.
 */
public final class TestHttpServer implements AfterEachCallback, AutoCloseable {

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger closed = new AtomicInteger();

	private final AtomicInteger holding = new AtomicInteger();

	private final Sinks.Empty<Void> released = Sinks.empty();

	/**
	 * Event loops of its own, so that the server outlives the application's (Spring's
	 * {@code ReactorResourceFactory} shuts down Reactor Netty's global ones when the
	 * application stops).
	 */
	private final LoopResources loops = LoopResources.create("test-http-server", 1, true);

	private final DisposableServer server;

	public TestHttpServer() {
		this.server = HttpServer.create()
			.runOn(this.loops)
			.host("127.0.0.1")
			.port(0)
			.doOnChannelInit((observer, channel, address) -> {
				this.connections.incrementAndGet();
				channel.closeFuture().addListener((future) -> this.closed.incrementAndGet());
			})
			.route((routes) -> routes.get("/ok", (request, response) -> response.sendString(Mono.just("ok")))
				.get("/fail",
						(request, response) -> response.status(HttpResponseStatus.INTERNAL_SERVER_ERROR)
							.sendString(Mono.just("failed")))
				.get("/pause",
						(request, response) -> response
							.sendString(Mono.delay(Duration.ofSeconds(1)).then(Mono.just("after a pause"))))
				.get("/hold", (request, response) -> {
					this.holding.incrementAndGet();
					return response.sendString(this.released.asMono().then(Mono.just("held")));
				}))
			.bindNow();
	}

	public String url() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/**
	 * TCP connections accepted so far.
	 * @return the count
	 */
	public int connections() {
		return this.connections.get();
	}

	/**
	 * TCP connections closed so far (by either side).
	 * @return the count
	 */
	public int closedConnections() {
		return this.closed.get();
	}

	/**
	 * Requests to {@code /hold} waiting for {@link #release()}.
	 * @return the count
	 */
	public int holding() {
		return this.holding.get();
	}

	/**
	 * Answer every held request, and answer later ones at once.
	 */
	public void release() {
		this.released.tryEmitEmpty();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		close();
	}

	@Override
	public void close() {
		release();
		this.server.disposeNow();
		this.loops.disposeLater().block(Duration.ofSeconds(10));
	}

}
