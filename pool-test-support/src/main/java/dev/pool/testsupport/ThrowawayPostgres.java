package dev.pool.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's (or a benchmark's) own: {@code initdb} into a temporary
 * folder and {@code pg_ctl} on a free port of 127.0.0.1, run as the {@code postgres}
 * user. For the tests that stop, restart or exhaust a server, which must never be done to
 * the machine's shared one, and for the benchmark that must pay for authentication.
 * Closing it (or the JVM exiting) stops the server and deletes the folder. The programs
 * come from {@link TestEnvironment#postgresBin()}.
 */
public final class ThrowawayPostgres implements AutoCloseable {

	/** The folders of every server this JVM made, to check they are gone. */
	private static final Set<Path> CREATED = ConcurrentHashMap.newKeySet();

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
	 * Create and start a server that trusts every connection, user {@code postgres}.
	 * @param settings server settings such as {@code max_connections = 8}
	 * @return the running server
	 */
	public static ThrowawayPostgres start(String... settings) throws Exception {
		return startTrusting("pool-pg-", false, settings);
	}

	/**
	 * Create and start a server that trusts every connection, user {@code postgres}, and
	 * offers TLS with a self-signed certificate made for it ({@code openssl}).
	 * @param settings server settings such as {@code max_connections = 8}
	 * @return the running server
	 */
	public static ThrowawayPostgres startWithTls(String... settings) throws Exception {
		return startTrusting("pool-pg-tls-", true, settings);
	}

	private static ThrowawayPostgres startTrusting(String prefix, boolean tls, String... settings) throws Exception {
		ThrowawayPostgres server = create(prefix);
		try {
			server.asPostgres("initdb", "-D", server.data.toString(), "-A", "trust", "-U", "postgres", "--no-sync",
					"--no-instructions");
			StringBuilder conf = new StringBuilder(server.baseConfig());
			if (tls) {
				run("runuser", "-u", "postgres", "--", "openssl", "req", "-new", "-x509", "-days", "1", "-nodes",
						"-subj", "/CN=127.0.0.1", "-keyout", server.data.resolve("server.key").toString(), "-out",
						server.data.resolve("server.crt").toString());
				conf.append("ssl = on\n");
			}
			for (String setting : settings) {
				conf.append(setting).append('\n');
			}
			server.writeConfig("postgresql.auto.conf", conf.toString());
			server.startServer();
			return server;
		}
		catch (Exception ex) {
			server.close();
			throw ex;
		}
	}

	/**
	 * Create and start a server that authenticates TCP connections with SCRAM-SHA-256,
	 * with a role and a database of its own (the machine's server trusts local
	 * connections, which would leave out the cost of authenticating every new
	 * connection).
	 * @param role the role (and database) to create
	 * @param password its password
	 * @return the running server
	 */
	public static ThrowawayPostgres startWithPassword(String role, String password) throws Exception {
		ThrowawayPostgres server = create("pool-bench-pg-");
		try {
			server.asPostgres("initdb", "-D", server.data.toString(), "-U", "postgres", "--auth-local=trust",
					"--auth-host=scram-sha-256", "--no-sync", "--no-instructions");
			server.writeConfig("postgresql.auto.conf",
					server.baseConfig() + "password_encryption = 'scram-sha-256'\nmax_connections = 100\n");
			// The superuser only through the socket in the temporary folder; every TCP
			// connection with a SCRAM-SHA-256 password.
			server.writeConfig("pg_hba.conf", "local all postgres trust\nhost all all 127.0.0.1/32 scram-sha-256\n");
			server.startServer();
			server.asPostgres("psql", "-h", server.directory.toString(), "-p", String.valueOf(server.port), "-U",
					"postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c",
					"CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'", "-c",
					"CREATE DATABASE " + role + " OWNER " + role);
			return server;
		}
		catch (Exception ex) {
			server.close();
			throw ex;
		}
	}

	private static ThrowawayPostgres create(String prefix) throws Exception {
		Path directory = Files.createTempDirectory(prefix);
		CREATED.add(directory);
		ThrowawayPostgres server = new ThrowawayPostgres(directory, TestEnvironment.postgresBin(), freePort());
		Runtime.getRuntime().addShutdownHook(server.cleanUp);
		run("chown", "postgres:postgres", directory.toString());
		return server;
	}

	/**
	 * Whether a server can be made here: PostgreSQL's programs ({@code initdb},
	 * {@code pg_ctl}, {@code psql}), and commands can run as the {@code postgres} user
	 * (which takes root).
	 * @return true when {@link #start} can work
	 */
	public static boolean available() {
		Path bin = TestEnvironment.postgresBin();
		if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
			return false;
		}
		try {
			run("runuser", "-u", "postgres", "--", "true");
			return true;
		}
		catch (Exception ex) {
			return false;
		}
	}

	/**
	 * What {@link #available()} needs, for a skipped test's reason.
	 * @return a one-line description
	 */
	public static String requirement() {
		return "a throw-away PostgreSQL needs initdb/pg_ctl in " + TestEnvironment.postgresBin()
				+ " and root to run them as the postgres user";
	}

	/**
	 * The folders of servers made by this JVM that still exist: none once every server is
	 * closed. (Other builds on the same machine may have folders of their own in the same
	 * temporary folder at the same time; they are not counted.)
	 * @return the folders left behind
	 */
	public static List<Path> leftovers() {
		return CREATED.stream().filter(Files::exists).toList();
	}

	public int port() {
		return this.port;
	}

	/**
	 * The JDBC URL of the {@code postgres} database.
	 * @return {@code jdbc:postgresql://127.0.0.1:<port>/postgres}
	 */
	public String url() {
		return url("postgres");
	}

	/**
	 * The JDBC URL of a database on this server.
	 * @param database the database
	 * @return {@code jdbc:postgresql://127.0.0.1:<port>/<database>}
	 */
	public String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	/**
	 * Run statements as the superuser, through the server's socket (TCP connections of a
	 * server made by {@link #startWithPassword} need a password the superuser has not).
	 * @param statements the statements, run in order; the first that fails fails the call
	 */
	public void executeAsSuperuser(String... statements) throws Exception {
		List<String> args = new ArrayList<>(List.of("-h", this.directory.toString(), "-p", String.valueOf(this.port),
				"-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q"));
		for (String statement : statements) {
			args.add("-c");
			args.add(statement);
		}
		asPostgres("psql", args.toArray(String[]::new));
	}

	public void startServer() throws Exception {
		asPostgres("pg_ctl", "-D", this.data.toString(), "-l", this.directory.resolve("server.log").toString(), "-w",
				"-t", "60", "start");
	}

	public void stopServer() throws Exception {
		asPostgres("pg_ctl", "-D", this.data.toString(), "-w", "-t", "60", "-m", "fast", "stop");
	}

	public void restartServer() throws Exception {
		asPostgres("pg_ctl", "-D", this.data.toString(), "-l", this.directory.resolve("server.log").toString(), "-w",
				"-t", "60", "-m", "fast", "restart");
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
			// A second pass for files the server's last processes wrote while the first
			// ran.
			for (int pass = 0; pass < 2 && Files.exists(this.directory); pass++) {
				try (Stream<Path> paths = Files.walk(this.directory)) {
					paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
				}
				catch (IOException | java.io.UncheckedIOException ex) {
					// A file went away while walking: the next pass sees what is left.
				}
			}
			if (Thread.currentThread() != this.cleanUp) {
				try {
					Runtime.getRuntime().removeShutdownHook(this.cleanUp);
				}
				catch (IllegalStateException ex) {
					// The JVM is shutting down.
				}
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

	private String baseConfig() {
		return "listen_addresses = '127.0.0.1'\nport = " + this.port + "\nunix_socket_directories = '" + this.directory
				+ "'\nfsync = off\n";
	}

	private void writeConfig(String file, String content) throws Exception {
		Path path = this.data.resolve(file);
		Files.writeString(path, content);
		run("chown", "postgres:postgres", path.toString());
	}

	private void asPostgres(String program, String... args) throws Exception {
		List<String> command = new ArrayList<>(
				List.of("runuser", "-u", "postgres", "--", this.bin.resolve(program).toString()));
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

	/**
	 * A free TCP port on 127.0.0.1.
	 * @return the port
	 */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
