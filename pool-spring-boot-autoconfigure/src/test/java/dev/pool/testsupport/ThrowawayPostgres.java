package dev.pool.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own: {@code initdb} into a temporary folder and
 * {@code pg_ctl} on a free port of 127.0.0.1, run as the {@code postgres} user. For the tests
 * that stop, restart or exhaust a server, which must never be done to the machine's shared
 * one. Closing it stops the server and deletes the folder.
 */
public final class ThrowawayPostgres implements AutoCloseable {

	private final Path directory;

	private final Path data;

	private final int port;

	private final Path bin;

	private ThrowawayPostgres(Path directory, int port, Path bin) {
		this.directory = directory;
		this.data = directory.resolve("data");
		this.port = port;
		this.bin = bin;
	}

	/**
	 * Create and start a server.
	 * @param settings server settings such as {@code max_connections=8}
	 * @return the running server
	 */
	public static ThrowawayPostgres start(String... settings) throws Exception {
		Path bin = binaries();
		Path directory = Files.createTempDirectory("pool-pg-");
		ThrowawayPostgres server = new ThrowawayPostgres(directory, freePort(), bin);
		run("chown", "postgres:postgres", directory.toString());
		server.asPostgres(bin.resolve("initdb").toString(), "-D", server.data.toString(), "-A", "trust", "-U",
				"postgres", "--no-sync", "--no-instructions");
		StringBuilder conf = new StringBuilder("listen_addresses = '127.0.0.1'\nport = " + server.port
				+ "\nunix_socket_directories = '" + directory + "'\nfsync = off\n");
		for (String setting : settings) {
			conf.append(setting).append('\n');
		}
		Files.writeString(server.data.resolve("postgresql.auto.conf"), conf.toString());
		run("chown", "postgres:postgres", server.data.resolve("postgresql.auto.conf").toString());
		server.startServer();
		return server;
	}

	/**
	 * Whether a throw-away server can be made here (PostgreSQL's binaries and a postgres
	 * user).
	 * @return true when {@link #start} can work
	 */
	public static boolean available() {
		try {
			binaries();
			return new ProcessBuilder("id", "postgres").start().waitFor() == 0;
		}
		catch (Exception ex) {
			return false;
		}
	}

	public int port() {
		return this.port;
	}

	public String url() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
	}

	public void startServer() throws Exception {
		asPostgres(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-l",
				this.directory.resolve("server.log").toString(), "-w", "-t", "60", "start");
	}

	public void stopServer() throws Exception {
		asPostgres(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-w", "-t", "60", "-m", "fast",
				"stop");
	}

	public void restartServer() throws Exception {
		asPostgres(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-l",
				this.directory.resolve("server.log").toString(), "-w", "-t", "60", "-m", "fast", "restart");
	}

	@Override
	public void close() throws Exception {
		try {
			asPostgres(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-m", "immediate", "stop");
		}
		catch (IllegalStateException ex) {
			// Already stopped.
		}
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	private void asPostgres(String... command) throws Exception {
		List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
		full.addAll(List.of(command));
		run(full.toArray(String[]::new));
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

	/**
	 * A free TCP port on 127.0.0.1.
	 * @return the port
	 */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
