package dev.pool.benchmarks.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the benchmark's own, with password authentication: the machine's
 * server trusts local connections, which would leave out the cost of authenticating every
 * new connection. {@code initdb} into a temporary folder, {@code pg_ctl} on a free port of
 * 127.0.0.1, run as the {@code postgres} user; TCP connections must authenticate with
 * SCRAM-SHA-256. Closing it (or the JVM exiting) stops the server and deletes the folder.
 * <p>
 * Adapted from the autoconfigure module's test support, which starts trusting servers.
 */
final class ThrowawayPostgres implements AutoCloseable {

	private final Path directory;

	private final Path data;

	private final Path bin;

	private final int port;

	private final Thread cleanUp = new Thread(this::closeQuietly, "throwaway-postgres-clean-up");

	private boolean closed;

	private ThrowawayPostgres(Path directory, Path bin, int port) {
		this.directory = directory;
		this.data = directory.resolve("data");
		this.bin = bin;
		this.port = port;
	}

	/**
	 * Whether a server can be made here: PostgreSQL's binaries, and commands can run as the
	 * {@code postgres} user (which takes root).
	 * @return true when {@link #start} can work
	 */
	static boolean available() {
		try {
			binaries();
			run("runuser", "-u", "postgres", "--", "true");
			return true;
		}
		catch (Exception ex) {
			return false;
		}
	}

	/**
	 * Create and start a server that authenticates TCP connections with SCRAM-SHA-256, with
	 * a role and a database of its own.
	 * @param role the role (and database) to create
	 * @param password its password
	 * @return the running server
	 */
	static ThrowawayPostgres start(String role, String password) throws Exception {
		Path directory = Files.createTempDirectory("pool-bench-pg-");
		ThrowawayPostgres server = new ThrowawayPostgres(directory, binaries(), freePort());
		Runtime.getRuntime().addShutdownHook(server.cleanUp);
		try {
			run("chown", "postgres:postgres", directory.toString());
			server.asPostgres("initdb", "-D", server.data.toString(), "-U", "postgres", "--auth-local=trust",
					"--auth-host=scram-sha-256", "--no-sync", "--no-instructions");
			server.writeConfig("postgresql.auto.conf", "listen_addresses = '127.0.0.1'\nport = " + server.port
					+ "\nunix_socket_directories = '" + directory + "'\npassword_encryption = 'scram-sha-256'\n"
					+ "max_connections = 100\nfsync = off\n");
			// The superuser only through the socket in the temporary folder; every TCP
			// connection with a SCRAM-SHA-256 password.
			server.writeConfig("pg_hba.conf", "local all postgres trust\nhost all all 127.0.0.1/32 scram-sha-256\n");
			server.asPostgres("pg_ctl", "-D", server.data.toString(), "-l", directory.resolve("server.log").toString(),
					"-w", "-t", "60", "start");
			server.asPostgres("psql", "-h", directory.toString(), "-p", String.valueOf(server.port), "-U", "postgres",
					"-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c",
					"CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'", "-c",
					"CREATE DATABASE " + role + " OWNER " + role);
			return server;
		}
		catch (Exception ex) {
			server.close();
			throw ex;
		}
	}

	/**
	 * The JDBC URL of a database on this server.
	 * @param database the database
	 * @return {@code jdbc:postgresql://127.0.0.1:<port>/<database>}
	 */
	String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	/**
	 * Stop the server at once and delete its folder.
	 */
	@Override
	public synchronized void close() throws Exception {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			if (Files.exists(this.data.resolve("postmaster.pid"))) {
				asPostgres("pg_ctl", "-D", this.data.toString(), "-w", "-t", "60", "-m", "immediate", "stop");
			}
		}
		finally {
			try (Stream<Path> paths = Files.walk(this.directory)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
			if (Thread.currentThread() != this.cleanUp) {
				Runtime.getRuntime().removeShutdownHook(this.cleanUp);
			}
		}
	}

	private void closeQuietly() {
		try {
			close();
		}
		catch (Exception ex) {
			System.err.println("Could not stop the throw-away PostgreSQL in " + this.directory + ": " + ex);
		}
	}

	private void writeConfig(String file, String content) throws Exception {
		Path path = this.data.resolve(file);
		Files.writeString(path, content);
		run("chown", "postgres:postgres", path.toString());
	}

	private void asPostgres(String program, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("runuser", "-u", "postgres", "--",
				this.bin.resolve(program).toString()));
		command.addAll(List.of(args));
		run(command.toArray(String[]::new));
	}

	private static void run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(90, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(String.join(" ", command) + " did not finish");
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
		}
	}

	private static Path binaries() throws IOException {
		try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
			return versions.map((version) -> version.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve("initdb")))
				.max(Comparator.naturalOrder())
				.orElseThrow(() -> new IOException("no initdb under /usr/lib/postgresql"));
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
