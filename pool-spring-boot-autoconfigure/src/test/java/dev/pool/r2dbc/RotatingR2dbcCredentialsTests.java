package dev.pool.r2dbc;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.pool.autoconfigure.FailureAnalyses;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.PoolCredentials;
import dev.pool.jdbc.PoolCredentialsProvider;
import dev.pool.r2dbc.autoconfigure.PoolR2dbcAutoConfiguration;
import io.r2dbc.pool.ConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pool.credentials.*} on Spring Boot's R2DBC pool without a database (a pool opens
 * nothing until it is used): which pool takes them, and the failures that stop start-up.
 */
class RotatingR2dbcCredentialsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class, PoolR2dbcAutoConfiguration.class))
		.withPropertyValues("spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:1/test", "spring.r2dbc.username=app");

	@TempDir
	Path directory;

	@Test
	void aPasswordFileMakesThePoolTheStartersWithItsSource() throws Exception {
		Path file = Files.writeString(this.directory.resolve("password"), "secret\n");
		this.runner.withPropertyValues("pool.credentials.password-file=" + file).run((context) -> {
			ConnectionPool pool = context.getBean(ConnectionPool.class);
			assertThat(pool).isInstanceOf(ManagedConnectionPool.class);
			RotatingR2dbcCredentials credentials = ((ManagedConnectionPool) pool).getCredentials();
			assertThat(credentials.source()).isEqualTo("file: " + file);
			assertThat(credentials.resolve()).isEqualTo(PoolCredentials.of("app", "secret"));
			assertThat(context.getBean(R2dbcPools.class).describe().get(0).credentials().describe())
				.containsEntry("source", "file: " + file)
				.doesNotContainValue("secret");
		});
	}

	@Test
	void withoutCredentialKeysThePoolIsSpringBootsAndItsSourceIsProperty() {
		this.runner.run((context) -> {
			assertThat(context.getBean(ConnectionPool.class).getClass()).isEqualTo(ConnectionPool.class);
			assertThat(context.getBean(R2dbcPools.class).describe().get(0).credentials())
				.isEqualTo(R2dbcPoolCredentials.PROPERTY);
		});
	}

	@Test
	void aMissingFileStopsStartUpNamingTheKeyAndThePath() {
		Path missing = this.directory.resolve("missing");
		this.runner.withPropertyValues("pool.credentials.password-file=" + missing).run((context) -> {
			PoolConfigurationException failure = FailureAnalyses.failure(context);
			assertThat(failure.getKey()).isEqualTo("pool.credentials.password-file");
			assertThat(failure.getValue()).isEqualTo(missing.toString());
		});
	}

	@Test
	void aDriverThatTakesNoPerConnectionCredentialsStopsStartUp() throws Exception {
		Path file = Files.writeString(this.directory.resolve("password"), "secret");
		this.runner
			.withPropertyValues("spring.r2dbc.url=r2dbc:h2:mem:///credentials",
					"pool.credentials.password-file=" + file)
			.run((context) -> {
				PoolConfigurationException failure = FailureAnalyses.failure(context);
				assertThat(failure.getKey()).isEqualTo("pool.credentials.password-file");
				assertThat(failure.getValue()).isEqualTo("R2DBC driver h2");
				assertThat(failure.getAllowed()).contains("r2dbc-postgresql");
			});
	}

	@Test
	void aSingleProviderBeanServesThePoolAndLeavesTheOptionsOfAnotherDriverAlone() {
		PoolCredentialsProvider provider = (dataSource, role) -> PoolCredentials.of("app", dataSource + "/" + role);
		this.runner.withBean("tokens", PoolCredentialsProvider.class, () -> provider).run((context) -> {
			RotatingR2dbcCredentials credentials = ((ManagedConnectionPool) context.getBean(ConnectionPool.class))
				.getCredentials();
			assertThat(credentials.source()).isEqualTo("provider: tokens");
			assertThat(credentials.resolve().password()).isEqualTo("connectionFactory/r2dbc");
		});
		// No H2 driver on this classpath: the failure is Spring Boot's driver look-up,
		// with
		// the options the starter left alone (no publisher, no
		// PoolConfigurationException).
		this.runner.withBean("tokens", PoolCredentialsProvider.class, () -> provider)
			.withPropertyValues("spring.r2dbc.url=r2dbc:h2:mem:///credentials")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("Unable to create a ConnectionFactory")
					.hasMessageContaining("user=app}")
					.isNotInstanceOf(PoolConfigurationException.class);
			});
	}

	@Test
	void aProviderNameThatIsNoProviderStopsStartUp() {
		this.runner.withPropertyValues("pool.credentials.provider=vault").run((context) -> {
			PoolConfigurationException failure = FailureAnalyses.failure(context);
			assertThat(failure.getKey()).isEqualTo("pool.credentials.provider");
			assertThat(failure.getAllowed()).contains("there is none");
		});
	}

}
