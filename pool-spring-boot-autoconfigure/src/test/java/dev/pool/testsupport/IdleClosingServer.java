package dev.pool.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on 127.0.0.1 that behaves like a load balancer or NAT gateway which
 * forgets idle keep-alive connections without telling the client: a connection idle for
 * {@code idleTimeout} is dead, and the next request on it is read and answered with a
 * close (no response, no FIN before that). This is the moment a client sees
 * {@code PrematureCloseException: Connection prematurely closed BEFORE response}.
 * <p>
 * A plain {@link ServerSocket} does it deterministically; a real server closing the
 * socket after its idle timeout would let the client notice the FIN first, and the
 * failure would only show in the narrow race between the two.
 */
public final class IdleClosingServer implements AutoCloseable {

	private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
			+ "Connection: keep-alive\r\n\r\nok")
		.getBytes(StandardCharsets.US_ASCII);

	private final long idleTimeoutNanos;

	private final ServerSocket serverSocket;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final Map<Socket, Long> lastActivity = new ConcurrentHashMap<>();

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger answered = new AtomicInteger();

	private final AtomicInteger closedOnArrival = new AtomicInteger();

	public IdleClosingServer(Duration idleTimeout) throws IOException {
		this.idleTimeoutNanos = idleTimeout.toNanos();
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.executor.execute(this::accept);
	}

	public String url() {
		return "http://127.0.0.1:" + this.serverSocket.getLocalPort();
	}

	/**
	 * Whether every open connection has been idle past the timeout (true when none is
	 * open): the next request on any of them will be closed on arrival.
	 * @return whether the idle window has passed
	 */
	public boolean idleWindowPassed() {
		long now = System.nanoTime();
		return this.lastActivity.values().stream().allMatch((last) -> now - last >= this.idleTimeoutNanos);
	}

	public int connections() {
		return this.connections.get();
	}

	public int answered() {
		return this.answered.get();
	}

	/**
	 * Requests that arrived on a connection idle past the timeout and were closed
	 * unanswered.
	 * @return the count
	 */
	public int closedOnArrival() {
		return this.closedOnArrival.get();
	}

	private void accept() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket socket = this.serverSocket.accept();
				this.connections.incrementAndGet();
				this.lastActivity.put(socket, System.nanoTime());
				this.executor.execute(() -> serve(socket));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
			while (readRequestHead(in)) {
				long idle = System.nanoTime() - this.lastActivity.get(socket);
				if (idle >= this.idleTimeoutNanos) {
					this.closedOnArrival.incrementAndGet();
					return;
				}
				this.answered.incrementAndGet();
				this.lastActivity.put(socket, System.nanoTime());
				out.write(RESPONSE);
				out.flush();
			}
		}
		catch (IOException ex) {
			// the client went away
		}
		finally {
			this.lastActivity.remove(socket);
		}
	}

	/**
	 * Read up to the blank line that ends a request head (the tests send GETs, no body).
	 * @return false when the client closed the connection
	 */
	private static boolean readRequestHead(InputStream in) throws IOException {
		int matched = 0;
		int b;
		while ((b = in.read()) != -1) {
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
			if (matched == 4) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		for (Socket socket : this.lastActivity.keySet()) {
			socket.close();
		}
		this.executor.shutdownNow();
	}

}
