package dev.pool.jdbc.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.PoolCredentials;
import dev.pool.jdbc.PoolCredentialsProvider;
import dev.pool.jdbc.RotatingCredentials;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.Load;
import dev.pool.testsupport.ThrowawayPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Credentials that rotate, on a throw-away PostgreSQL that authenticates every TCP
 * connection with SCRAM-SHA-256: under a steady load, {@code ALTER ROLE ... PASSWORD} and
 * a new secret (a Kubernetes-style secret volume swapped by symlink, or a provider's new
 * answer) fail no query, and after one more borrow cycle no backend of the pool was
 * authenticated with the old secret. Plain Spring Boot with the old password in
 * {@code spring.datasource.password} fails its new connections with {@code 28P01}.
 */
@ExtendWith(OutputCaptureExtension.class)
class RotatingCredentialsPostgresTests {

	private static final String ROLE = "rotator";

	private static final String APPLICATION = "pool-rotation";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.username=" + ROLE, "pool.size=4", "pool.overflow=0",
				"pool.credentials.check-interval=100ms");

	@TempDir
	Path directory;

	@Test
	void aPasswordFileSwappedUnderLoadFailsNoQueryAndLeavesNoBackendOfTheOldSecret(CapturedOutput output)
			throws Exception {
		assumeThrowawayServers();
		try (ThrowawayPostgres server = ThrowawayPostgres.startWithPassword(ROLE, "first-secret")) {
			SecretVolume volume = SecretVolume.create(this.directory, "password", "first-secret");
			this.runner.withPropertyValues(url(server), "pool.credentials.password-file=" + volume.file())
				.run((context) -> {
					HikariDataSource pool = context.getBean(HikariDataSource.class);
					RotatingCredentials credentials = RotatingCredentials.of(pool);
					assertThat(credentials.source()).isEqualTo("file: " + volume.file());
					rotateUnderLoad(server, context.getBean(JdbcTemplate.class), pool, credentials, "second-secret",
							() -> volume.update("second-secret"));
				});
			assertThat(output).doesNotContain("first-secret").doesNotContain("second-secret");
		}
	}

	@Test
	void aProviderWhoseAnswerChangesUnderLoadFailsNoQueryAndLeavesNoBackendOfTheOldSecret(CapturedOutput output)
			throws Exception {
		assumeThrowawayServers();
		try (ThrowawayPostgres server = ThrowawayPostgres.startWithPassword(ROLE, "first-token")) {
			this.runner.withUserConfiguration(TokenProviderConfiguration.class)
				.withPropertyValues(url(server))
				.run((context) -> {
					HikariDataSource pool = context.getBean(HikariDataSource.class);
					RotatingCredentials credentials = RotatingCredentials.of(pool);
					assertThat(credentials.source()).isEqualTo("provider: tokens");
					TokenProvider tokens = context.getBean(TokenProvider.class);
					rotateUnderLoad(server, context.getBean(JdbcTemplate.class), pool, credentials, "second-token",
							() -> tokens.token.set("second-token"));
					assertThat(tokens.calls.get()).as("calls of the provider").isPositive();
				});
			assertThat(output).doesNotContain("first-token").doesNotContain("second-token");
		}
	}

	/**
	 * What plain Spring Boot does (and the starter with the password as a property): once
	 * the role's password changed, every new connection fails with 28P01 until a restart.
	 */
	@Test
	void plainSpringBootWithTheOldPasswordFailsNewConnectionsWith28P01() throws Exception {
		assumeThrowawayServers();
		try (ThrowawayPostgres server = ThrowawayPostgres.startWithPassword(ROLE, "first-secret")) {
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
				.withPropertyValues(url(server), "spring.datasource.username=" + ROLE,
						"spring.datasource.password=first-secret", "spring.datasource.hikari.connection-timeout=1000")
				.run((context) -> {
					JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
					assertThat(jdbc.queryForObject("SELECT 1", Integer.class)).isOne();
					server.executeAsSuperuser("ALTER ROLE " + ROLE + " PASSWORD 'second-secret'");
					context.getBean(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
					assertThatExceptionOfType(Exception.class)
						.isThrownBy(() -> jdbc.queryForObject("SELECT 1", Integer.class))
						.satisfies(
								(ex) -> assertThat(RotatingCredentialsPostgresTests.sqlStates(ex)).contains("28P01"));
				});
		}
	}

	/**
	 * A password file that holds a secret the database does not accept: the refusals are
	 * counted, the last is shown (SQLState and the server's message), and one WARN names
	 * the file.
	 */
	@Test
	void refusedCredentialsAreCountedAndNamedInOneWarning(CapturedOutput output) throws Exception {
		assumeThrowawayServers();
		try (ThrowawayPostgres server = ThrowawayPostgres.startWithPassword(ROLE, "first-secret")) {
			SecretVolume volume = SecretVolume.create(this.directory, "password", "wrong-secret");
			this.runner
				.withPropertyValues(url(server), "pool.credentials.password-file=" + volume.file(),
						"pool.acquire-timeout=1s")
				.run((context) -> {
					JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
					RotatingCredentials credentials = RotatingCredentials.of(context.getBean(HikariDataSource.class));
					for (int i = 0; i < 2; i++) {
						assertThatExceptionOfType(Exception.class)
							.isThrownBy(() -> jdbc.queryForObject("SELECT 1", Integer.class));
					}
					assertThat(credentials.authenticationFailures()).isGreaterThanOrEqualTo(2);
					assertThat(credentials.lastAuthenticationFailure()).startsWith("28P01");
					volume.update("first-secret");
					await().untilAsserted(() -> assertThat(jdbc.queryForObject("SELECT 1", Integer.class)).isOne());
				});
			String log = output.toString();
			assertThat(log.split("the database refused the credentials", -1)).as("warnings").hasSize(2);
			assertThat(log).contains("from file: " + this.directory)
				.doesNotContain("wrong-secret")
				.doesNotContain("first-secret");
		}
	}

	private void rotateUnderLoad(ThrowawayPostgres server, JdbcTemplate jdbc, HikariDataSource pool,
			RotatingCredentials credentials, String secret, ThrowingRunnable handOut) throws Exception {
		AtomicReference<Timestamp> changed = new AtomicReference<>();
		Load.Result result = Load.of(4, 250, () -> jdbc.queryForObject("SELECT 1 FROM pg_sleep(0.002)", Integer.class))
			.faultAfterAQuarter(() -> {
				server.executeAsSuperuser("ALTER ROLE " + ROLE + " PASSWORD '" + secret + "'");
				// Every backend that started before now was authenticated with the old
				// secret: the new one is not handed out yet.
				changed.set(jdbc.queryForObject("SELECT clock_timestamp()", Timestamp.class));
				handOut.run();
				await().until(() -> credentials.rotations() == 1);
				return null;
			})
			.run();
		assertThat(result.failures()).as("failed queries (%s)", result).isEmpty();
		assertThat(result.afterFault()).isNotEmpty();
		oneBorrowCycle(pool);
		await().untilAsserted(() -> assertThat(backends(jdbc, "<", changed.get()))
			.as("backends of the pool authenticated with the old secret")
			.isZero());
		assertThat(backends(jdbc, ">", changed.get())).as("backends with the new secret").isPositive();
	}

	/** Borrow as many connections as the pool holds at once, and return them. */
	private static void oneBorrowCycle(HikariDataSource pool) throws SQLException {
		List<Connection> borrowed = new ArrayList<>();
		try {
			for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
				borrowed.add(pool.getConnection());
			}
		}
		finally {
			for (Connection connection : borrowed) {
				connection.close();
			}
		}
	}

	private static int backends(JdbcTemplate jdbc, String comparison, Timestamp changed) {
		return jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND backend_start "
				+ comparison + " ?", Integer.class, APPLICATION, changed);
	}

	private static String url(ThrowawayPostgres server) {
		return "spring.datasource.url=" + server.url(ROLE) + "?ApplicationName=" + APPLICATION;
	}

	private static List<String> sqlStates(Throwable failure) {
		List<String> states = new ArrayList<>();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				states.add(sql.getSQLState());
			}
		}
		return states;
	}

	private static void assumeThrowawayServers() {
		Databases.assumeAvailable(ThrowawayPostgres.available(), ThrowawayPostgres.requirement());
	}

	@FunctionalInterface
	interface ThrowingRunnable {

		void run() throws Exception;

	}

	/**
	 * A folder laid out as Kubernetes lays out a secret volume: {@code <key>} links to
	 * {@code ..data/<key>}, {@code ..data} links to a timestamped folder, and an update
	 * writes a new folder and swaps {@code ..data} in one rename.
	 */
	record SecretVolume(Path directory, String key, AtomicInteger version) {

		static SecretVolume create(Path directory, String key, String secret) throws Exception {
			SecretVolume volume = new SecretVolume(directory, key, new AtomicInteger());
			volume.update(secret);
			Files.createSymbolicLink(directory.resolve(key), Path.of("..data", key));
			return volume;
		}

		Path file() {
			return this.directory.resolve(this.key);
		}

		void update(String secret) throws Exception {
			Path version = this.directory.resolve("..version-" + this.version.incrementAndGet());
			Files.createDirectory(version);
			Path file = version.resolve(this.key);
			Files.writeString(file, secret + "\n");
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
			Path link = this.directory.resolve("..data_tmp");
			Files.createSymbolicLink(link, version.getFileName());
			Files.move(link, this.directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TokenProviderConfiguration {

		@Bean
		TokenProvider tokens() {
			return new TokenProvider();
		}

	}

	/**
	 * A token source whose token the test changes; no expiry, so asked at every check.
	 */
	static class TokenProvider implements PoolCredentialsProvider {

		final AtomicReference<String> token = new AtomicReference<>("first-token");

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public PoolCredentials getCredentials(String dataSource, String role) {
			this.calls.incrementAndGet();
			return PoolCredentials.of(ROLE, this.token.get());
		}

	}

}
