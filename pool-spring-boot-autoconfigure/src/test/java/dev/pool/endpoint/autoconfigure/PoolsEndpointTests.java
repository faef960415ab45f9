package dev.pool.endpoint.autoconfigure;

import java.sql.Connection;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.endpoint.PoolsEndpoint.JdbcPoolDescriptor;
import dev.pool.endpoint.PoolsEndpoint.PoolsDescriptor;
import dev.pool.endpoint.PoolsEndpoint.SettingDescriptor;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code pools} endpoint on a real PostgreSQL with a read pool: every setting with
 * its source, live counts, statistics, the server check, and never a password.
 */
@ExtendWith(OutputCaptureExtension.class)
class PoolsEndpointTests {

	private static final String SECRET = "s3cret-";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				ServerCheckAutoConfiguration.class, PoolsEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=pools",
				"spring.datasource.url=" + Databases.POSTGRES_URL + "?ApplicationName=pools-endpoint&password=" + SECRET
						+ "url",
				"spring.datasource.username=" + Databases.POSTGRES_USER,
				"spring.datasource.password=" + SECRET + "prop", "pool.profile=cloud", "pool.size=3",
				"spring.datasource.hikari.connection-timeout=4000",
				"pool.read.url=" + Databases.POSTGRES_URL + "?password=" + SECRET + "read-url",
				"pool.read.password=" + SECRET + "read", "pool.read.size=1");

	@Test
	void showsEverySettingWithItsSourceAndNoCredential(CapturedOutput output) {
		Databases.assumePostgres();
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				connection.isValid(1);
			}
			context.getBean(ServerChecks.class).await(Duration.ofSeconds(30));
			PoolsDescriptor pools = context.getBean(PoolsEndpoint.class).pools();
			assertThat(pools.profile()).isEqualTo("cloud");
			assertThat(pools.jdbc()).containsOnlyKeys("primary", "read");
			JdbcPoolDescriptor primary = pools.jdbc().get("primary");
			assertThat(primary.settings()).containsEntry("size", new SettingDescriptor(3, "property"))
				.containsEntry("overflow", new SettingDescriptor(5, "profile:cloud"))
				.containsEntry("recycle", new SettingDescriptor("10m", "profile:cloud"))
				.containsEntry("acquire-timeout",
						new SettingDescriptor("4s", "hikari (spring.datasource.hikari.connection-timeout)"))
				.containsEntry("pre-ping", new SettingDescriptor(true, "default"));
			assertThat(pools.jdbc().get("read").settings()).containsEntry("size", new SettingDescriptor(1, "property"))
				.containsEntry("overflow", new SettingDescriptor(5, "profile:cloud"));
			assertThat(primary.url()).contains("password=******").contains("ApplicationName=pools-endpoint");
			assertThat(primary.live().max()).isEqualTo(8);
			assertThat(primary.stats().acquisitions()).isPositive();
			assertThat(primary.prePing().check()).as("PostgreSQL over a plain socket").startsWith("bytes the server");
			assertThat(primary.prePing().deadOnBorrow()).isZero();
			assertThat(primary.serverCheck().status().name()).isIn("OK", "MISCONFIGURED");
			assertThat(pools.toString()).doesNotContain(SECRET);
			assertThat(output.getAll()).doesNotContain(SECRET);
		});
	}

	@Test
	void inMemorySqliteShowsTheOneConnectionItRunsWith() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
					PoolsEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=pools",
					"spring.datasource.url=jdbc:sqlite::memory:")
			.run((context) -> {
				JdbcPoolDescriptor pool = context.getBean(PoolsEndpoint.class).pools().jdbc().get("primary");
				assertThat(pool.settings().get("size").value()).isEqualTo(1);
				assertThat(pool.settings().get("overflow").value()).isEqualTo(0);
				assertThat(pool.settings().get("recycle"))
					.isEqualTo(new SettingDescriptor("0", "sqlite in-memory: one connection, never recycled"));
				assertThat(pool.settings().get("overflow-idle-timeout"))
					.isEqualTo(new SettingDescriptor("0", "no overflow: idle connections stay open"));
				assertThat(pool.hikari()).containsEntry("maximumPoolSize", 1).containsEntry("maxLifetime", "0");
			});
	}

	@Test
	void aHikariDataSourceOfTheApplicationsOwnIsShownWithTheSourcesItReallyHas() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
					PoolsEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=pools", "pool.profile=cloud",
					"pool.datasources.mine.acquire-timeout=3s")
			.withBean("mine", HikariDataSource.class, () -> {
				HikariDataSource dataSource = new HikariDataSource();
				dataSource.setJdbcUrl(Databases.POSTGRES_URL + "?password=" + SECRET);
				dataSource.setMaximumPoolSize(7);
				dataSource.setMaxLifetime(Duration.ofMinutes(20).toMillis());
				return dataSource;
			})
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PoolsDescriptor pools = context.getBean(PoolsEndpoint.class).pools();
				assertThat(pools.jdbc()).containsOnlyKeys("primary");
				JdbcPoolDescriptor pool = pools.jdbc().get("primary");
				// Only the explicit pool.* key was applied: the cloud profile's size,
				// overflow and
				// recycle (5, 5, 10m) are not what this pool runs with, and are not
				// shown.
				assertThat(pool.settings()).containsEntry("acquire-timeout", new SettingDescriptor("3s", "property"))
					.containsEntry("size", new SettingDescriptor(7, "bean"))
					.containsEntry("overflow", new SettingDescriptor(0, "hikari default"))
					.containsEntry("recycle", new SettingDescriptor("20m", "bean"))
					.containsEntry("overflow-idle-timeout", new SettingDescriptor("10m", "hikari default"))
					.containsEntry("leak-detection-threshold", new SettingDescriptor("0", "hikari default"))
					.containsEntry("pre-ping", new SettingDescriptor(false, "hikari default"));
				assertThat(pool.settings().values()).extracting(SettingDescriptor::source)
					.doesNotContain("profile:cloud");
				assertThat(pool.hikari()).containsEntry("maximumPoolSize", 7).containsEntry("connectionTimeout", "3s");
				assertThat(pool.url()).contains("password=******");
				assertThat(pools.toString()).doesNotContain(SECRET);
			});
	}

	@Test
	void notExposedMeansNoEndpoint() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(PoolsEndpoint.class));
	}

	@Test
	void withoutReactorNettyTheEndpointStillWorks() {
		Databases.assumePostgres();
		this.runner.withClassLoader(new FilteredClassLoader("reactor.netty"))
			.run((context) -> assertThat(context.getBean(PoolsEndpoint.class).pools().http()).isEmpty());
	}

}
