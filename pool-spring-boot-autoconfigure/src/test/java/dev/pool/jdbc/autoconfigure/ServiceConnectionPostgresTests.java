package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.pool.check.ServerCheck;
import dev.pool.check.ServerCheck.Status;
import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.endpoint.PoolsEndpoint.PoolsDescriptor;
import dev.pool.endpoint.autoconfigure.PoolsEndpointAutoConfiguration;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service connection ({@link JdbcConnectionDetails}, as Testcontainers'
 * {@code @ServiceConnection} or Docker Compose give) points at the local PostgreSQL while
 * {@code spring.datasource.*} names a server and a user that do not exist: the starter's
 * pools, its read pool and its server check connect with the connection details.
 */
class ServiceConnectionPostgresTests {

	private final String name = "pool-service-connection-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				ServerCheckAutoConfiguration.class, PoolsEndpointAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/wrong?ApplicationName=wrong",
				"spring.datasource.username=no-such-user", "spring.datasource.password=wrong",
				"management.endpoints.web.exposure.include=pools")
		.withBean(JdbcConnectionDetails.class, () -> new LocalPostgres(this.name));

	@Test
	void thePoolsAndTheServerCheckConnectWithTheConnectionDetails() {
		Databases.assumePostgres();
		this.runner.withPropertyValues("pool.size=1", "pool.overflow=1").run((context) -> {
			assertThat(context).hasNotFailed();
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT current_user || ' ' || current_setting('application_name')",
					String.class))
				.isEqualTo("postgres " + this.name);
			List<ServerCheck> checks = context.getBean(ServerChecks.class).await(Duration.ofSeconds(30));
			assertThat(checks).singleElement().satisfies((check) -> {
				assertThat(check.pool()).isEqualTo("primary");
				assertThat(check.status()).isIn(Status.OK, Status.MISCONFIGURED);
				assertThat(check.database()).startsWith("PostgreSQL");
			});
			PoolsDescriptor pools = context.getBean(PoolsEndpoint.class).pools();
			assertThat(pools.jdbc().get("primary").url()).contains(this.name).doesNotContain("wrong");
			assertThat(pools.jdbc().get("primary").username()).isEqualTo("postgres");
		});
	}

	@Test
	void theReadPoolTakesTheConnectionDetailsCredentials() {
		Databases.assumePostgres();
		String read = this.name + "-read";
		this.runner
			.withPropertyValues("pool.size=1", "pool.overflow=1",
					"pool.read.url=" + Databases.POSTGRES_URL + "?ApplicationName=" + read)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(ReadWriteDataSource.find(dataSource).getReadPool().getUsername()).isEqualTo("postgres");
				JdbcTemplate jdbc = new JdbcTemplate(dataSource);
				TransactionTemplate readOnly = new TransactionTemplate(
						context.getBean(PlatformTransactionManager.class));
				readOnly.setReadOnly(true);
				String who = "SELECT current_user || ' ' || current_setting('application_name')";
				String inReadOnly = readOnly.execute((status) -> jdbc.queryForObject(who, String.class));
				assertThat(inReadOnly).isEqualTo("postgres " + read);
				assertThat(jdbc.queryForObject(who, String.class)).isEqualTo("postgres " + this.name);
				List<ServerCheck> checks = context.getBean(ServerChecks.class).await(Duration.ofSeconds(30));
				assertThat(checks).extracting(ServerCheck::pool).containsExactly("primary", "read");
				assertThat(checks).extracting(ServerCheck::status).doesNotContain(Status.UNKNOWN);
			});
	}

	/**
	 * What a service connection gives: the local PostgreSQL, its user.
	 */
	record LocalPostgres(String applicationName) implements JdbcConnectionDetails {

		@Override
		public String getUsername() {
			return Databases.POSTGRES_USER;
		}

		@Override
		public String getPassword() {
			return "";
		}

		@Override
		public String getJdbcUrl() {
			return Databases.POSTGRES_URL + "?ApplicationName=" + this.applicationName;
		}

	}

}
