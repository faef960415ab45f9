package dev.pool.jdbc.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.FailureAnalyses;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.check.ServerCheck;
import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.endpoint.PoolsEndpoint.JdbcPoolDescriptor;
import dev.pool.endpoint.PoolsEndpoint.PoolsDescriptor;
import dev.pool.endpoint.PoolsEndpoint.SettingDescriptor;
import dev.pool.endpoint.autoconfigure.PoolsEndpointAutoConfiguration;
import dev.pool.health.autoconfigure.PoolHealthContributorAutoConfiguration;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.jdbc.autoconfigure.health.JdbcPoolHealthContributorAutoConfiguration;
import dev.pool.jdbc.autoconfigure.health.PoolDbHealthContributorAutoConfiguration;
import dev.pool.jdbc.autoconfigure.metrics.JdbcPoolMetricsAutoConfiguration;
import dev.pool.testsupport.Databases;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applications with several DataSources: {@code pool.*} tunes only the one Spring Boot
 * auto-configures, {@code pool.datasources.<bean-name>.*} the application's own, and
 * health, the {@code pools} endpoint, the meters and the server checks show each by its
 * bean name. Real SQLite files.
 */
@ExtendWith(OutputCaptureExtension.class)
class SeveralDataSourcesTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class,
				ServerCheckAutoConfiguration.class, JdbcPoolHealthContributorAutoConfiguration.class,
				PoolDbHealthContributorAutoConfiguration.class, PoolHealthContributorAutoConfiguration.class,
				PoolsEndpointAutoConfiguration.class, JdbcPoolMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("management.endpoints.web.exposure.include=pools");

	@Test
	void poolKeysLeaveTheApplicationsOwnDataSourcesAloneAndAWarnNamesTheKeysToSet(CapturedOutput output) {
		this.runner.withUserConfiguration(TwoOwnDataSources.class).withPropertyValues("pool.size=7").run((context) -> {
			assertThat(context).hasNotFailed();
			HikariDataSource first = context.getBean("first", HikariDataSource.class);
			HikariDataSource second = context.getBean("second", HikariDataSource.class);
			assertThat(first.getMaximumPoolSize()).isEqualTo(4);
			assertThat(first.getMinimumIdle()).as("HikariCP's: as many as the maximum").isEqualTo(-1);
			assertThat(second.getMaximumPoolSize()).isEqualTo(10);
			assertThat(second.getMinimumIdle()).isEqualTo(-1);
			assertThat(output).contains("pool.size tunes only the DataSource Spring Boot auto-configures")
				.contains("'first', 'second'")
				.contains("set pool.datasources.first.size, pool.datasources.second.size.");
		});
	}

	@Test
	void poolKeysWithDataSourcesThatAreNotHikariSayTheyTuneNothing(CapturedOutput output) {
		this.runner.withUserConfiguration(TwoSimpleDataSources.class)
			.withPropertyValues("pool.size=3")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("pool.size tunes only HikariCP pools, and this application has none")
					.contains("'customers', 'orders' are of another kind");
			});
	}

	@Test
	void poolDatasourcesKeysTuneOnlyTheBeanTheyName(CapturedOutput output) {
		this.runner.withUserConfiguration(TwoOwnDataSources.class)
			.withPropertyValues("pool.datasources.second.size=3", "pool.datasources.second.recycle=10m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HikariDataSource first = context.getBean("first", HikariDataSource.class);
				HikariDataSource second = context.getBean("second", HikariDataSource.class);
				assertThat(first.getMaximumPoolSize()).isEqualTo(4);
				assertThat(first.getMinimumIdle()).isEqualTo(-1);
				assertThat(first.getMaxLifetime()).isEqualTo(Duration.ofMinutes(30).toMillis());
				assertThat(second.getMinimumIdle()).isEqualTo(3);
				assertThat(second.getMaximumPoolSize()).as("the bean's own maximum").isEqualTo(10);
				assertThat(second.getMaxLifetime()).isEqualTo(Duration.ofMinutes(10).toMillis());
				JdbcPoolDescriptor described = endpoint(context).jdbc().get("second");
				assertThat(described.dataSource()).isEqualTo("second");
				assertThat(described.settings()).containsEntry("size", new SettingDescriptor(3, "property"))
					.containsEntry("recycle", new SettingDescriptor("10m", "property"))
					.containsEntry("acquire-timeout", new SettingDescriptor("30s", "hikari default"));
				assertThat(output).doesNotContain("only the DataSource Spring Boot auto-configures");
			});
	}

	@Test
	void aProfileUnderPoolDatasourcesAppliesToTheKeysLeftUnset() {
		this.runner.withUserConfiguration(TwoOwnDataSources.class)
			.withPropertyValues("pool.datasources.second.profile=memory-efficient",
					"pool.datasources.second.acquire-timeout=3")
			.run((context) -> {
				HikariDataSource second = context.getBean("second", HikariDataSource.class);
				assertThat(second.getMinimumIdle()).isEqualTo(1);
				assertThat(second.getMaximumPoolSize()).isEqualTo(5);
				assertThat(second.getConnectionTimeout()).isEqualTo(3_000);
				assertThat(context.getBean("first", HikariDataSource.class).getMaximumPoolSize()).isEqualTo(4);
			});
	}

	@Test
	void healthTheEndpointTheMetersAndTheServerChecksShowEachDataSourceByBeanName() {
		this.runner.withUserConfiguration(TwoOwnDataSources.class).run((context) -> {
			assertThat(context).hasNotFailed();
			HikariDataSource first = context.getBean("first", HikariDataSource.class);
			HikariDataSource second = context.getBean("second", HikariDataSource.class);
			CompositeHealthContributor jdbc = (CompositeHealthContributor) context
				.getBean("poolHealthContributor", CompositeHealthContributor.class)
				.getContributor("jdbc");
			assertThat(names(jdbc)).containsExactlyInAnyOrder("first", "second");
			assertThat(((HealthIndicator) jdbc.getContributor("second")).health(true).getStatus()).isEqualTo(Status.UP);
			CompositeHealthContributor db = context.getBean("dbHealthContributor", CompositeHealthContributor.class);
			assertThat(names(db)).containsExactlyInAnyOrder("first", "second");
			assertThat(((HealthIndicator) db.getContributor("first")).health(true).getStatus()).isEqualTo(Status.UP);
			PoolsDescriptor pools = endpoint(context);
			assertThat(pools.jdbc()).containsOnlyKeys("first", "second");
			assertThat(pools.jdbc().get("first").poolName()).isEqualTo(first.getPoolName());
			assertThat(pools.jdbc().get("second").poolName()).isEqualTo(second.getPoolName());
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean("poolJdbcMeterBinder", MeterBinder.class).bindTo(registry);
			assertThat(registry.get("pool.jdbc.waits").tag("pool", "first").functionCounter().getId().getTag("name"))
				.isEqualTo(first.getPoolName());
			assertThat(registry.get("pool.jdbc.waits").tag("pool", "second").functionCounter().getId().getTag("name"))
				.isEqualTo(second.getPoolName());
			List<ServerCheck> checks = context.getBean(ServerChecks.class).await(Duration.ofSeconds(30));
			assertThat(checks).extracting(ServerCheck::pool).containsExactlyInAnyOrder("first", "second");
		});
	}

	@Test
	void springBootsDataSourceBesideAnOwnOneIsTunedByPoolKeysAndBothAreSeen(CapturedOutput output) {
		this.runner.withUserConfiguration(OwnBesideSpringBoots.class)
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("boot.db"), "pool.size=3",
					"pool.datasources.reports.size=2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HikariDataSource reports = context.getBean("reports", HikariDataSource.class);
				assertThat(reports.getMinimumIdle()).isEqualTo(2);
				assertThat(reports.getMaximumPoolSize()).isEqualTo(6);
				PoolsDescriptor pools = endpoint(context);
				assertThat(pools.jdbc()).containsOnlyKeys("dataSource/writer", "dataSource/reader", "reports");
				assertThat(pools.jdbc().get("dataSource/reader").settings()).containsEntry("size",
						new SettingDescriptor(3, "property"));
				CompositeHealthContributor jdbc = (CompositeHealthContributor) context
					.getBean("poolHealthContributor", CompositeHealthContributor.class)
					.getContributor("jdbc");
				assertThat(names(jdbc)).containsExactlyInAnyOrder("dataSource", "reports");
				assertThat(names((CompositeHealthContributor) jdbc.getContributor("dataSource")))
					.containsExactlyInAnyOrder("writer", "reader");
				assertThat(output).doesNotContain("only the DataSource Spring Boot auto-configures");
			});
	}

	@Test
	void aPoolDatasourcesNameThatNamesNoDataSourceStopsStartUp() {
		this.runner.withUserConfiguration(TwoOwnDataSources.class)
			.withPropertyValues("pool.datasources.secnod.size=3")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertReported(context.getStartupFailure(), "pool.datasources.secnod", "secnod", "'first', 'second'");
			});
	}

	@Test
	void springBootsDataSourceIsNotNamedUnderPoolDatasources() {
		this.runner
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("named.db"),
					"pool.datasources.dataSource.size=3")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertReported(context.getStartupFailure(), "pool.datasources.dataSource", "dataSource",
						"Spring Boot auto-configures");
			});
	}

	@Test
	void aBadValueUnderPoolDatasourcesIsReportedUnderItsOwnKey() {
		this.runner.withUserConfiguration(TwoOwnDataSources.class)
			.withPropertyValues("pool.datasources.second.recycle=10s")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalyses.assertReported(context.getStartupFailure(), "pool.datasources.second.recycle", "10s",
						"30s or more");
			});
	}

	@Test
	void relaxedFormsOfTheBeanNameMatch() {
		this.runner.withUserConfiguration(TwoOwnDataSources.class)
			.withPropertyValues("pool.datasources.SECOND.size=2")
			.run((context) -> assertThat(context.getBean("second", HikariDataSource.class).getMinimumIdle())
				.isEqualTo(2));
	}

	/**
	 * The names are checked once every bean exists, so the starter's exception is the
	 * start-up failure itself rather than the cause of a bean's.
	 */
	private static void assertReported(Throwable failure, String key, String shown, String allowed) {
		assertThat(failure).isInstanceOf(PoolConfigurationException.class);
		FailureAnalysis analysis = FailureAnalyses.analyze(failure);
		assertThat(analysis.getDescription()).contains(key).contains("'" + shown + "'").contains(allowed);
		assertThat(analysis.getAction()).contains(key);
	}

	@Test
	void aReadUrlUnderPoolDatasourcesGivesTheBeanAReadPool() {
		Databases.assumePostgres();
		String name = "pool-own-read-" + UUID.randomUUID().toString().substring(0, 8);
		this.runner
			.withPropertyValues("pool.datasources.orders.size=1",
					"pool.datasources.orders.read.url=" + Databases.POSTGRES_URL + "?ApplicationName=" + name + "-read",
					"pool.datasources.orders.read.size=1", "pool.datasources.orders.read.overflow=0")
			.withBean("orders", DataSource.class, () -> {
				HikariDataSource dataSource = new HikariDataSource();
				dataSource.setJdbcUrl(Databases.POSTGRES_URL + "?ApplicationName=" + name);
				dataSource.setUsername(Databases.POSTGRES_USER);
				dataSource.setMaximumPoolSize(2);
				return dataSource;
			})
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DataSource orders = context.getBean("orders", DataSource.class);
				assertThat(orders).isInstanceOf(ReadWriteDataSource.class);
				JdbcTemplate jdbc = new JdbcTemplate(orders);
				DataSourceTransactionManager transactions = new DataSourceTransactionManager(orders);
				TransactionTemplate readOnly = new TransactionTemplate(transactions);
				readOnly.setReadOnly(true);
				String who = "SELECT current_setting('application_name')";
				String inReadOnly = readOnly.execute((status) -> jdbc.queryForObject(who, String.class));
				String inReadWrite = new TransactionTemplate(transactions)
					.execute((status) -> jdbc.queryForObject(who, String.class));
				assertThat(inReadOnly).isEqualTo(name + "-read");
				assertThat(inReadWrite).isEqualTo(name);
				PoolsDescriptor pools = endpoint(context);
				assertThat(pools.jdbc()).containsOnlyKeys("primary", "read");
				assertThat(pools.jdbc().get("read").dataSource()).isEqualTo("orders");
				assertThat(pools.jdbc().get("read").settings()).containsEntry("size",
						new SettingDescriptor(1, "property"));
				assertThat(pools.jdbc().get("primary").settings()).containsEntry("size",
						new SettingDescriptor(1, "property"));
			});
	}

	private static PoolsDescriptor endpoint(AssertableApplicationContext context) {
		return context.getBean(PoolsEndpoint.class).pools();
	}

	private static List<String> names(CompositeHealthContributor composite) {
		return composite.stream().map((entry) -> entry.name()).toList();
	}

	static HikariDataSource sqlite(String file) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:sqlite:" + directory.resolve(file));
		return dataSource;
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoSimpleDataSources {

		@Bean
		org.springframework.jdbc.datasource.SimpleDriverDataSource customers() {
			return new org.springframework.jdbc.datasource.SimpleDriverDataSource(new org.sqlite.JDBC(),
					"jdbc:sqlite:" + directory.resolve("customers-simple.db"));
		}

		@Bean
		org.springframework.jdbc.datasource.SimpleDriverDataSource orders() {
			return new org.springframework.jdbc.datasource.SimpleDriverDataSource(new org.sqlite.JDBC(),
					"jdbc:sqlite:" + directory.resolve("orders-simple.db"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoOwnDataSources {

		@Bean
		@Primary
		HikariDataSource first() {
			HikariDataSource dataSource = sqlite("first.db");
			dataSource.setMaximumPoolSize(4);
			return dataSource;
		}

		@Bean
		HikariDataSource second() {
			return sqlite("second.db");
		}

	}

	/**
	 * A second DataSource as Spring Boot's documentation adds one: not a default
	 * candidate, so Spring Boot still auto-configures its own.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OwnBesideSpringBoots {

		@Bean(defaultCandidate = false)
		@Qualifier("reports")
		HikariDataSource reports() {
			HikariDataSource dataSource = sqlite("reports.db");
			dataSource.setMaximumPoolSize(6);
			return dataSource;
		}

	}

}
