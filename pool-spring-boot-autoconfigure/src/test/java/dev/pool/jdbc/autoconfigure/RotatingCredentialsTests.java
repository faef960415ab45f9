package dev.pool.jdbc.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.FailureAnalyses;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.PoolCredentials;
import dev.pool.jdbc.PoolCredentialsProvider;
import dev.pool.jdbc.RotatingCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code pool.credentials.*} asks of its files and beans at start-up (no pool
 * starts: the URL names a port no server listens on): a missing or empty file, or a
 * provider that is not one, stops start-up naming the key and the value; a file every
 * user may read is named in a WARN.
 */
@ExtendWith(OutputCaptureExtension.class)
class RotatingCredentialsTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.username=app");

	/** A PostgreSQL URL no server answers: the pool never starts in these tests. */
	private ApplicationContextRunner postgres() {
		return this.runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/app");
	}

	@Test
	void aMissingPasswordFileStopsStartUpNamingTheKeyAndThePath() {
		Path missing = this.directory.resolve("no-such-file");
		postgres().withPropertyValues("pool.credentials.password-file=" + missing).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalyses.assertReported(context.getStartupFailure(), "pool.credentials.password-file",
					missing.toString(), "there is no such file");
		});
	}

	@Test
	void anEmptyPasswordFileStopsStartUpNamingTheKeyAndThePath() throws Exception {
		Path empty = secret("password", "\n", "rw-------");
		postgres()
			.withPropertyValues("pool.read.url=jdbc:postgresql://127.0.0.1:1/replica",
					"pool.read.credentials.password-file=" + empty)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalyses.assertReported(context.getStartupFailure(), "pool.read.credentials.password-file",
						empty.toString(), "the file is empty");
			});
	}

	@Test
	void aPasswordFileOfAnOwnDataSourceIsCheckedUnderItsName() {
		Path missing = this.directory.resolve("orders-password");
		this.runner.withUserConfiguration(OwnDataSourceConfiguration.class)
			.withPropertyValues("pool.datasources.orders.credentials.password-file=" + missing)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalyses.assertReported(context.getStartupFailure(),
						"pool.datasources.orders.credentials.password-file", missing.toString(), "no such file");
			});
	}

	@Test
	void aProviderKeyThatNamesNoProviderStopsStartUp() {
		postgres().withPropertyValues("pool.credentials.provider=vault").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalyses.assertReported(context.getStartupFailure(), "pool.credentials.provider", "vault",
					"PoolCredentialsProvider");
		});
	}

	@Test
	void aWorldReadablePasswordFileIsNamedInAWarningAndTheSourceIsShownNeverTheSecret(CapturedOutput output)
			throws Exception {
		Path password = secret("password", "s3cret-in-file\n", "rw-r--r--");
		postgres().withPropertyValues("pool.credentials.password-file=" + password).run((context) -> {
			assertThat(context).hasNotFailed();
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			assertThat(RotatingCredentials.describe(pool)).containsEntry("source", "file: " + password)
				.containsEntry("authenticationFailures", 0L);
			assertThat(pool.getCredentialsProvider().getCredentials().getPassword()).isEqualTo("s3cret-in-file");
		});
		assertThat(output).contains("pool: pool.credentials.password-file " + password + " can be read by every user")
			.doesNotContain("s3cret-in-file");
	}

	@Test
	void anOwnerOnlyFileGivesNoWarning(CapturedOutput output) throws Exception {
		Path password = secret("password", "s3cret-in-file", "r--------");
		postgres().withPropertyValues("pool.credentials.password-file=" + password)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("can be read by every user");
	}

	@Test
	void theOnlyProviderBeanServesSpringBootsDataSource() {
		postgres().withUserConfiguration(ProviderConfiguration.class).run((context) -> {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			assertThat(RotatingCredentials.sourceOf(pool)).isEqualTo("provider: tokens");
			assertThat(pool.getCredentialsProvider().getCredentials().getPassword()).isEqualTo("token-for-dataSource");
		});
	}

	@Test
	void theUsernameDescribedIsTheFilesOnceReadNeverTheConfiguredOne() throws Exception {
		Path username = secret("username", "rotated-user\n", "rw-------");
		postgres().withPropertyValues("pool.credentials.username-file=" + username).run((context) -> {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			assertThat(RotatingCredentials.usernameOf(pool)).as("before any connection").isEqualTo("app");
			assertThat(pool.getCredentialsProvider().getCredentials().getUsername()).isEqualTo("rotated-user");
			assertThat(RotatingCredentials.usernameOf(pool)).isEqualTo("rotated-user");
			assertThat(context.getBean(JdbcPools.class).describe(pool)).singleElement()
				.satisfies((description) -> assertThat(description.username()).isEqualTo("rotated-user"));
		});
	}

	@Test
	void withoutAnyKeyOrProviderTheCredentialsAreProperties() {
		postgres().run((context) -> assertThat(RotatingCredentials.describe(context.getBean(HikariDataSource.class)))
			.containsOnlyKeys("source")
			.containsEntry("source", "property"));
	}

	private Path secret(String name, String content, String permissions) throws Exception {
		Path file = this.directory.resolve(name);
		Files.writeString(file, content);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
		return file;
	}

	@Configuration(proxyBeanMethods = false)
	static class ProviderConfiguration {

		@Bean
		PoolCredentialsProvider tokens() {
			return (dataSource, role) -> PoolCredentials.of("app", "token-for-" + dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnDataSourceConfiguration {

		@Bean
		HikariDataSource orders() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:sqlite::memory:");
			dataSource.setUsername("app");
			return dataSource;
		}

	}

}
