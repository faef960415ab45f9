package dev.pool.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A PgBouncer of a test's own (Debian package {@code pgbouncer}) in transaction pooling
 * mode on a free port of 127.0.0.1, in front of the machine's PostgreSQL, run as the
 * {@code postgres} user (PgBouncer refuses to run as root). Closing it stops it.
 */
public final class PgBouncer implements AutoCloseable {

	private static final Path BINARY = TestEnvironment.pgBouncer();

	private final Path directory;

	private final Process process;

	private final int port;

	private PgBouncer(Path directory, Process process, int port) {
		this.directory = directory;
		this.process = process;
		this.port = port;
	}

	public static boolean available() {
		return Files.isExecutable(BINARY);
	}

	/**
	 * Start PgBouncer.
	 * @param database the PostgreSQL database it serves
	 * @param poolSize its default_pool_size: server connections per database and user
	 * @return the running PgBouncer
	 */
	public static PgBouncer start(String database, int poolSize) throws Exception {
		Path directory = Files.createTempDirectory("pool-pgbouncer-");
		int port = ThrowawayPostgres.freePort();
		Files.writeString(directory.resolve("userlist.txt"), "\"postgres\" \"\"\n");
		Files.writeString(directory.resolve("pgbouncer.ini"), """
				[databases]
				%1$s = host=127.0.0.1 port=%5$d dbname=%1$s
				[pgbouncer]
				listen_addr = 127.0.0.1
				listen_port = %2$d
				unix_socket_dir =
				auth_type = trust
				auth_file = %3$s/userlist.txt
				pool_mode = transaction
				default_pool_size = %4$d
				max_client_conn = 100
				ignore_startup_parameters = extra_float_digits
				logfile = %3$s/pgbouncer.log
				""".formatted(database, port, directory, poolSize, Databases.POSTGRES_PORT));
		new ProcessBuilder("chown", "-R", "postgres:postgres", directory.toString()).start().waitFor();
		Process process = new ProcessBuilder("runuser", "-u", "postgres", "--", BINARY.toString(),
				directory.resolve("pgbouncer.ini").toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("console.log").toFile())
			.start();
		PgBouncer bouncer = new PgBouncer(directory, process, port);
		try {
			await().atMost(Duration.ofSeconds(20)).until(bouncer::listening);
		}
		catch (RuntimeException ex) {
			String log = Files.exists(directory.resolve("console.log"))
					? Files.readString(directory.resolve("console.log")) : "";
			bouncer.close();
			throw new IllegalStateException("PgBouncer did not start: " + log, ex);
		}
		return bouncer;
	}

	public String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	private boolean listening() {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("PgBouncer exited with " + this.process.exitValue());
		}
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() throws Exception {
		this.process.descendants().forEach(ProcessHandle::destroy);
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.descendants().forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly();
		}
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

}
