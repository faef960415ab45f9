package dev.pool.r2dbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.endpoint.autoconfigure.PoolsEndpointAutoConfiguration;
import dev.pool.health.autoconfigure.PoolHealthContributorAutoConfiguration;
import dev.pool.jdbc.PoolCredentials;
import dev.pool.jdbc.PoolCredentialsProvider;
import dev.pool.r2dbc.autoconfigure.PoolR2dbcAutoConfiguration;
import dev.pool.r2dbc.autoconfigure.health.R2dbcPoolHealthContributorAutoConfiguration;
import dev.pool.r2dbc.autoconfigure.metrics.R2dbcPoolMetricsAutoConfiguration;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.ThrowawayPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Credentials that rotate, for Spring Boot's R2DBC pool, on a throw-away PostgreSQL that
 * authenticates every TCP connection with SCRAM-SHA-256: under a steady load of reactive
 * queries, {@code ALTER ROLE ... PASSWORD} and a new secret (a rewritten file, or a
 * provider's new answer) fail no query, and after one more acquisition cycle no backend
 * of the pool started before the change. Plain Spring Boot with the old password in
 * {@code spring.r2dbc.password} fails its new connections with {@code 28P01}.
 */
@ExtendWith(OutputCaptureExtension.class)
class RotatingR2dbcCredentialsPostgresTests {

	private static final String ROLE = "rotator";

	private static final String APPLICATION = "pool-r2dbc-rotation";

	/** Far beyond anything these tests wait for: only a hang reaches it. */
	private static final Duration BOUND = Duration.ofSeconds(60);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class, PoolR2dbcAutoConfiguration.class,
				R2dbcPoolHealthContributorAutoConfiguration.class, PoolHealthContributorAutoConfiguration.class,
				PoolsEndpointAutoConfiguration.class, R2dbcPoolMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("management.endpoints.web.exposure.include=pools", "spring.r2dbc.username=" + ROLE,
				"pool.size=4", "pool.overflow=0", "pool.credentials.check-interval=100ms");

	@TempDir
	Path directory;

	@BeforeEach
	void throwawayServers() {
		Databases.assumeAvailable(ThrowawayPostgres.available(), ThrowawayPostgres.requirement());
	}

	@Test
	void aPasswordFileRewrittenUnderLoadFailsNoQueryAndLeavesNoBackendOfTheOldSecret(CapturedOutput output)
			throws Exception {
		try (ThrowawayPostgres server = ThrowawayPostgres.startWithPassword(ROLE, "first-secret")) {
			Path file = write(this.directory.resolve("password"), "first-secret");
			this.runner.withPropertyValues(url(server), "pool.credentials.password-file=" + file).run((context) -> {
				ConnectionPool pool = context.getBean(ConnectionPool.class);
				RotatingR2dbcCredentials credentials = ((ManagedConnectionPool) pool).getCredentials();
				assertThat(credentials.source()).isEqualTo("file: " + file);
				rotateUnderLoad(server, pool, credentials, "second-secret", () -> write(file, "second-secret"));
				assertThat(endpointCredentials(context)).containsEntry("source", "file: " + file)
					.containsEntry("rotations", 1L)
					.containsEntry("authenticationFailures", 0L);
				assertThat(healthDetails(context)).containsKey("credentials");
			});
			assertThat(output).doesNotContain("first-secret").doesNotContain("second-secret");
		}
	}

	@Test
	void aProviderWhoseAnswerChangesUnderLoadFailsNoQueryAndLeavesNoBackendOfTheOldSecret(CapturedOutput output)
			throws Exception {
		try (ThrowawayPostgres server = ThrowawayPostgres.startWithPassword(ROLE, "first-token")) {
			this.runner.withUserConfiguration(TokenProviderConfiguration.class)
				.withPropertyValues(url(server))
				.run((context) -> {
					ConnectionPool pool = context.getBean(ConnectionPool.class);
					RotatingR2dbcCredentials credentials = ((ManagedConnectionPool) pool).getCredentials();
					assertThat(credentials.source()).isEqualTo("provider: tokens");
					TokenProvider tokens = context.getBean(TokenProvider.class);
					rotateUnderLoad(server, pool, credentials, "second-token", () -> tokens.token.set("second-token"));
					assertThat(tokens.roles).containsOnly("connectionFactory/r2dbc");
				});
			assertThat(output).doesNotContain("first-token").doesNotContain("second-token");
		}
	}

	/**
	 * What plain Spring Boot does: once the role's password changed, every new connection
	 * fails with 28P01 until a restart.
	 */
	@Test
	void plainSpringBootWithTheOldPasswordFailsNewConnectionsWith28P01() throws Exception {
		try (ThrowawayPostgres server = ThrowawayPostgres.startWithPassword(ROLE, "first-secret")) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class))
				.withPropertyValues(url(server), "spring.r2dbc.username=" + ROLE, "spring.r2dbc.password=first-secret")
				.run((context) -> {
					ConnectionPool pool = context.getBean(ConnectionPool.class);
					assertThat(select(pool).block(BOUND)).isOne();
					server.executeAsSuperuser("ALTER ROLE " + ROLE + " PASSWORD 'second-secret'");
					assertThatExceptionOfType(R2dbcException.class)
						.isThrownBy(() -> Mono.from(pool.unwrap().create()).block(BOUND))
						.satisfies((ex) -> assertThat(ex.getSqlState()).isEqualTo("28P01"));
				});
		}
	}

	/**
	 * A password file that holds a secret the database does not accept: the refusals are
	 * counted (read model, meter), the last is shown, one WARN names the file; the right
	 * secret written to the file is taken without a restart.
	 */
	@Test
	void refusedCredentialsAreCountedAndNamedInOneWarning(CapturedOutput output) throws Exception {
		try (ThrowawayPostgres server = ThrowawayPostgres.startWithPassword(ROLE, "first-secret")) {
			Path file = write(this.directory.resolve("password"), "wrong-secret");
			this.runner
				.withPropertyValues(url(server), "pool.credentials.password-file=" + file, "pool.size=1",
						"pool.acquire-timeout=2s")
				.run((context) -> {
					ConnectionPool pool = context.getBean(ConnectionPool.class);
					for (int i = 0; i < 2; i++) {
						assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> select(pool).block(BOUND));
					}
					R2dbcPoolCredentials credentials = context.getBean(R2dbcPools.class)
						.describe()
						.get(0)
						.credentials();
					assertThat(credentials.authFailures()).isGreaterThanOrEqualTo(2);
					assertThat(credentials.lastAuthFailure()).startsWith("28P01");
					assertThat(context.getBean(MeterRegistry.class)
						.get("pool.r2dbc.auth.failures")
						.tag("pool", "connectionFactory")
						.functionCounter()
						.count()).isGreaterThanOrEqualTo(2);
					write(file, "first-secret");
					await().atMost(BOUND).untilAsserted(() -> assertThat(select(pool).block(BOUND)).isOne());
				});
			String log = output.toString();
			assertThat(log.split("the database refused the credentials", -1)).as("warnings").hasSize(2);
			assertThat(log).contains("from file: " + file)
				.doesNotContain("wrong-secret")
				.doesNotContain("first-secret");
		}
	}

	private void rotateUnderLoad(ThrowawayPostgres server, ConnectionPool pool, RotatingR2dbcCredentials credentials,
			String secret, ThrowingRunnable handOut) throws Exception {
		AtomicInteger answers = new AtomicInteger();
		List<Throwable> failures = new ArrayList<>();
		Disposable load = Flux.range(0, 1000)
			.flatMap((i) -> Mono.from(select(pool, "SELECT 1 FROM pg_sleep(0.002)"))
				.doOnNext((one) -> answers.incrementAndGet())
				.onErrorResume((ex) -> {
					failures.add(ex);
					return Mono.empty();
				}), 4)
			.subscribe();
		try {
			await().atMost(BOUND).until(() -> answers.get() >= 250);
			server.executeAsSuperuser("ALTER ROLE " + ROLE + " PASSWORD '" + secret + "'");
			// Every backend that started before now was authenticated with the old
			// secret: the new one is not handed out yet.
			OffsetDateTime changed = Mono.from(select(pool, "SELECT clock_timestamp()", OffsetDateTime.class))
				.block(BOUND);
			handOut.run();
			await().atMost(BOUND).until(() -> credentials.rotations() == 1);
			int atChange = answers.get();
			await().atMost(BOUND).until(() -> load.isDisposed() || answers.get() >= atChange + 250);
			await().atMost(BOUND).until(load::isDisposed);
			assertThat(failures).as("failed queries").isEmpty();
			assertThat(answers).hasValue(1000);
			oneAcquisitionCycle(pool);
			await().atMost(BOUND)
				.untilAsserted(() -> assertThat(backends(pool, "<", changed))
					.as("backends of the pool authenticated with the old secret")
					.isZero());
			assertThat(backends(pool, ">", changed)).as("backends with the new secret").isPositive();
		}
		finally {
			load.dispose();
		}
	}

	/** Acquire as many connections as the pool holds at once, and release them. */
	private static void oneAcquisitionCycle(ConnectionPool pool) {
		int max = pool.getMetrics().orElseThrow().getMaxAllocatedSize();
		List<Connection> held = Flux.range(0, max).flatMap((i) -> pool.create()).collectList().block(BOUND);
		Flux.fromIterable(held).flatMap(Connection::close).blockLast(BOUND);
	}

	private static long backends(ConnectionFactory pool, String comparison, OffsetDateTime changed) {
		return Mono
			.usingWhen(pool.create(),
					(connection) -> Mono
						.from(connection
							.createStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 "
									+ "AND backend_start " + comparison + " $2")
							.bind("$1", APPLICATION)
							.bind("$2", changed)
							.execute())
						.flatMap((result) -> Mono.from(result.map((row) -> row.get(0, Long.class)))),
					Connection::close)
			.block(BOUND);
	}

	private static Mono<Integer> select(ConnectionFactory pool) {
		return select(pool, "SELECT 1", Integer.class);
	}

	private static Mono<Integer> select(ConnectionFactory pool, String sql) {
		return select(pool, sql, Integer.class);
	}

	private static <T> Mono<T> select(ConnectionFactory pool, String sql, Class<T> type) {
		return Mono.usingWhen(pool.create(), (connection) -> Mono.from(connection.createStatement(sql).execute())
			.flatMap((result) -> Mono.from(result.map((row) -> row.get(0, type)))), Connection::close);
	}

	private static Map<String, Object> endpointCredentials(AssertableApplicationContext context) {
		return context.getBean(PoolsEndpoint.class).pools().r2dbc().get("connectionFactory").credentials();
	}

	private static Map<String, Object> healthDetails(AssertableApplicationContext context) {
		CompositeHealthContributor pool = context.getBean("poolHealthContributor", CompositeHealthContributor.class);
		CompositeHealthContributor r2dbc = (CompositeHealthContributor) pool.getContributor("r2dbc");
		return ((HealthIndicator) r2dbc.getContributor("connectionFactory")).health(true).getDetails();
	}

	/**
	 * Write a secret the way a secret volume or an agent does: a new file moved over the
	 * old one, readable by its owner only.
	 */
	private static Path write(Path file, String secret) throws Exception {
		Path next = file.resolveSibling(file.getFileName() + ".tmp");
		Files.writeString(next, secret + "\n");
		Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("r--------"));
		Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		return file;
	}

	private static String url(ThrowawayPostgres server) {
		return "spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:" + server.port() + "/" + ROLE + "?applicationName="
				+ APPLICATION;
	}

	@FunctionalInterface
	interface ThrowingRunnable {

		void run() throws Exception;

	}

	@Configuration(proxyBeanMethods = false)
	static class TokenProviderConfiguration {

		@Bean
		TokenProvider tokens() {
			return new TokenProvider();
		}

	}

	/**
	 * A token source whose token the test changes; no expiry, so asked for every new
	 * connection and at every check.
	 */
	static class TokenProvider implements PoolCredentialsProvider {

		final AtomicReference<String> token = new AtomicReference<>("first-token");

		final List<String> roles = Collections.synchronizedList(new ArrayList<>());

		@Override
		public PoolCredentials getCredentials(String dataSource, String role) {
			this.roles.add(dataSource + "/" + role);
			return PoolCredentials.of(ROLE, this.token.get());
		}

	}

}
