package dev.pool.testsupport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throw-away TCP proxy on 127.0.0.1 in front of a real server, that a test stops (the
 * port then refuses connections, and every open connection is cut) and starts again on
 * the same port, as a database outage would look to the application, or whose open
 * connections it closes silently while it goes on accepting new ones. Only the proxy
 * stops; the server behind it never does.
 */
public final class TcpProxy implements AutoCloseable {

	private final int targetPort;

	private final int port;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile ServerSocket server;

	/** While set, new connections wait (see {@link #holdAccepts()}). */
	private volatile CountDownLatch held;

	private final AtomicInteger heldCount = new AtomicInteger();

	/** While set, no byte passes either way (see {@link #freeze()}). */
	private volatile CountDownLatch frozen;

	/**
	 * Start a proxy on a free port of 127.0.0.1.
	 * @param targetPort the server's port on 127.0.0.1
	 * @throws IOException if the proxy cannot listen
	 */
	public TcpProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.port = listen(0);
	}

	public int getPort() {
		return this.port;
	}

	/**
	 * Pass no new connection on to the server until {@link #releaseAccepts()}: a client's
	 * connect succeeds, then its first read waits, as with a server too busy to accept.
	 */
	public void holdAccepts() {
		this.held = new CountDownLatch(1);
	}

	/**
	 * Connections held by {@link #holdAccepts()} so far.
	 * @return the count
	 */
	public int held() {
		return this.heldCount.get();
	}

	/**
	 * Accept the connections held by {@link #holdAccepts()}, and the next ones at once.
	 */
	public void releaseAccepts() {
		CountDownLatch held = this.held;
		this.held = null;
		if (held != null) {
			held.countDown();
		}
	}

	/**
	 * Stop listening and cut every connection: the port refuses connections from now on.
	 */
	public synchronized void stop() {
		releaseAccepts();
		ServerSocket listening = this.server;
		this.server = null;
		close(listening);
		this.sockets.forEach(TcpProxy::close);
		this.sockets.clear();
		if (listening != null) {
			awaitRefused();
		}
	}

	/**
	 * Return once the port refuses connections: the JDK may finish closing a listening
	 * socket only when its accepting thread wakes up.
	 */
	private void awaitRefused() {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (System.nanoTime() < deadline) {
			try (Socket probe = new Socket()) {
				probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 100);
			}
			catch (IOException refused) {
				return;
			}
			Thread.onSpinWait();
		}
		throw new IllegalStateException("Port " + this.port + " still accepts connections 5s after the proxy stopped");
	}

	/**
	 * Stop listening but keep every open connection working: new connections are refused
	 * while the ones already made still reach the server, as with a server at its
	 * connection limit.
	 */
	public synchronized void stopAccepting() {
		ServerSocket listening = this.server;
		this.server = null;
		close(listening);
		if (listening != null) {
			awaitRefused();
		}
	}

	/**
	 * Listen again on the same port.
	 * @throws IOException if the port cannot be bound again
	 */
	public synchronized void start() throws IOException {
		if (this.server == null) {
			listen(this.port);
		}
	}

	/**
	 * Pass no byte on, either way, on any connection, and hold new connections, until
	 * {@link #thaw()}: every connection stays open and nothing answers, as from a server
	 * that stopped answering (a stalled process, a network partition without a reset).
	 * What was sent meanwhile passes on after the thaw.
	 */
	public void freeze() {
		this.frozen = new CountDownLatch(1);
		holdAccepts();
	}

	/**
	 * Let bytes and connections pass again after {@link #freeze()}.
	 */
	public void thaw() {
		CountDownLatch frozen = this.frozen;
		this.frozen = null;
		if (frozen != null) {
			frozen.countDown();
		}
		releaseAccepts();
	}

	/**
	 * Close every open connection without a word, and go on accepting new ones: the
	 * client's side gets an end of stream and nothing before it, as from a proxy or a
	 * load balancer that drops its connections, or a server process killed with
	 * {@code SIGKILL}. The server's side is closed too.
	 * @return the sockets closed, two per connection
	 */
	public synchronized int closeConnectionsSilently() {
		List<Socket> open = List.copyOf(this.sockets);
		this.sockets.removeAll(open);
		open.forEach(TcpProxy::close);
		return open.size();
	}

	@Override
	public void close() {
		stop();
	}

	private int listen(int port) throws IOException {
		ServerSocket listening = new ServerSocket();
		listening.setReuseAddress(true);
		listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		this.server = listening;
		Thread acceptor = new Thread(() -> accept(listening), "tcp-proxy-" + listening.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
		return listening.getLocalPort();
	}

	private void accept(ServerSocket listening) {
		while (!listening.isClosed()) {
			try {
				Socket client = listening.accept();
				if (this.server != listening) {
					// Accepted while stop() closed the socket (a connection already in
					// the backlog): a stopped proxy passes nothing on.
					close(client);
					return;
				}
				this.sockets.add(client);
				awaitRelease(listening);
				try {
					Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
					this.sockets.add(target);
					pipe(client, target);
					pipe(target, client);
				}
				catch (IOException ex) {
					close(client);
				}
			}
			catch (IOException ex) {
				// Closed by stop(), or the server refused: the client sees its socket
				// close.
			}
		}
	}

	private void awaitRelease(ServerSocket listening) throws IOException {
		CountDownLatch held = this.held;
		if (held != null) {
			this.heldCount.incrementAndGet();
			try {
				held.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				close(listening);
				throw new IOException(ex);
			}
		}
	}

	private void awaitThaw() throws IOException {
		CountDownLatch frozen = this.frozen;
		if (frozen != null) {
			try {
				frozen.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[8192];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					awaitThaw();
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// Cut by stop(), or the other side closed.
			}
			finally {
				close(from);
				close(to);
			}
		}, "tcp-proxy-pipe");
		thread.setDaemon(true);
		thread.start();
	}

	private static void close(Closeable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}
	}

}
