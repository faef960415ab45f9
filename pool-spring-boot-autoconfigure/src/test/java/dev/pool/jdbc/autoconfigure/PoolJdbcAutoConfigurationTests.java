package dev.pool.jdbc.autoconfigure;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code pool.*} reaches the HikariDataSource Spring Boot makes. The URL names
 * PostgreSQL, but nothing here connects: the pool starts at the first borrow.
 */
class PoolJdbcAutoConfigurationTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL);

	private static final int CORES = Runtime.getRuntime().availableProcessors();

	@Test
	void balancedProfileByDefaultKeepsSpringBootsMaximumOfTen() {
		this.runner.run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			assertThat(context.getBean(DataSource.class)).isSameAs(dataSource);
			assertThat(dataSource.getMinimumIdle()).isEqualTo(5);
			assertThat(dataSource.getMaximumPoolSize()).isEqualTo(10);
			assertThat(dataSource.getMaxLifetime()).isEqualTo(Duration.ofMinutes(30).toMillis());
			assertThat(dataSource.getConnectionTimeout()).isEqualTo(30_000);
			assertThat(dataSource.getIdleTimeout()).isEqualTo(30_000);
			assertThat(dataSource.getLeakDetectionThreshold()).isZero();
			JdbcPoolSettings settings = context.getBean(JdbcPoolSettings.class);
			assertThat(settings.size().source()).isEqualTo("profile:balanced");
			assertThat(settings.prePing().value()).isTrue();
			assertThat(settings.prePing().source()).isEqualTo("default");
		});
	}

	@Test
	void thePoolKeepsTheNameHikariCpGivesItUnlessTheUserNamesIt() {
		this.runner.run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			assertThat(dataSource.getPoolName()).as("HikariCP names a pool as it starts, as in plain Spring Boot")
				.isNull();
			try (Connection connection = dataSource.getConnection()) {
				assertThat(dataSource.getPoolName()).matches("HikariPool-\\d+");
			}
		});
		this.runner.withPropertyValues("spring.datasource.hikari.pool-name=orders")
			.run((context) -> assertThat(context.getBean(HikariDataSource.class).getPoolName()).isEqualTo("orders"));
	}

	@Test
	void prePingSetInTheApplicationsPropertiesIsReportedAsSetThere() {
		this.runner.withPropertyValues("pool.pre-ping=true").run((context) -> {
			JdbcPoolSettings settings = context.getBean(JdbcPoolSettings.class);
			assertThat(settings.prePing().value()).isTrue();
			assertThat(settings.prePing().source()).isEqualTo("property");
		});
	}

	@Test
	void memoryEfficientProfile() {
		this.runner.withPropertyValues("pool.profile=memory-efficient").run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			assertThat(dataSource.getMinimumIdle()).isEqualTo(1);
			assertThat(dataSource.getMaximumPoolSize()).isEqualTo(5);
			assertThat(dataSource.getConnectionTimeout()).isEqualTo(10_000);
			assertThat(dataSource.getIdleTimeout()).isEqualTo(Duration.ofMinutes(10).toMillis());
		});
	}

	@Test
	void highThroughputProfile() {
		this.runner.withPropertyValues("pool.profile=HIGH_THROUGHPUT").run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			assertThat(dataSource.getMinimumIdle()).isEqualTo(10);
			assertThat(dataSource.getMaximumPoolSize()).isEqualTo(10);
			assertThat(dataSource.getConnectionTimeout()).isEqualTo(1_000);
			assertThat(dataSource.getIdleTimeout()).as("a fixed pool closes no idle connection").isZero();
		});
	}

	@Test
	void cloudProfile() {
		this.runner.withPropertyValues("pool.profile=cloud").run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			assertThat(dataSource.getMaximumPoolSize()).isEqualTo(10);
			assertThat(dataSource.getMaxLifetime()).isEqualTo(Duration.ofMinutes(10).toMillis());
		});
	}

	@Test
	void explicitKeysOverrideTheProfile() {
		this.runner
			.withPropertyValues("pool.profile=cloud", "pool.size=5", "pool.overflow=7", "pool.recycle=20m",
					"pool.acquire-timeout=2s", "pool.overflow-idle-timeout=45s", "pool.leak-detection-threshold=15s")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMinimumIdle()).isEqualTo(5);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(12);
				assertThat(dataSource.getMaxLifetime()).isEqualTo(Duration.ofMinutes(20).toMillis());
				assertThat(dataSource.getConnectionTimeout()).isEqualTo(2_000);
				assertThat(dataSource.getIdleTimeout()).isEqualTo(45_000);
				assertThat(dataSource.getLeakDetectionThreshold()).isEqualTo(15_000);
				JdbcPoolSettings settings = context.getBean(JdbcPoolSettings.class);
				assertThat(settings.size().source()).isEqualTo("property");
				assertThat(settings.overflow().source()).isEqualTo("property");
			});
	}

	@Test
	void autoSizeIsCoresTimesTwoPlusSpindles() {
		this.runner.withPropertyValues("pool.size=auto", "pool.effective-spindles=3", "pool.overflow=0")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMinimumIdle()).isEqualTo(CORES * 2 + 3);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(CORES * 2 + 3);
			});
	}

	@Test
	void bareNumbersAreSecondsAndEnvironmentVariablesBind() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("POOL_SIZE", "5", "POOL_OVERFLOW", "3", "POOL_RECYCLE", "3600", "POOL_ACQUIRE_TIMEOUT",
								"2", "POOL_OVERFLOW_IDLE_TIMEOUT", "90", "POOL_PROFILE", "cloud"))))
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMinimumIdle()).isEqualTo(5);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(8);
				assertThat(dataSource.getMaxLifetime()).isEqualTo(Duration.ofHours(1).toMillis());
				assertThat(dataSource.getConnectionTimeout()).isEqualTo(2_000);
				assertThat(dataSource.getIdleTimeout()).isEqualTo(90_000);
			});
	}

	@Test
	void explicitHikariKeyWinsOverProfile() {
		this.runner
			.withPropertyValues("spring.datasource.hikari.max-lifetime=600000",
					"spring.datasource.hikari.connection-timeout=4000", "spring.datasource.hikari.minimum-idle=3")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMaxLifetime()).isEqualTo(600_000);
				assertThat(dataSource.getConnectionTimeout()).isEqualTo(4_000);
				assertThat(dataSource.getMinimumIdle()).isEqualTo(3);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(8);
				JdbcPoolSettings settings = context.getBean(JdbcPoolSettings.class);
				assertThat(settings.recycle().source()).isEqualTo("hikari");
				assertThat(settings.size().source()).isEqualTo("hikari");
			});
	}

	@Test
	void explicitHikariMaximumBelowProfileSizeCapsTheSize() {
		this.runner.withPropertyValues("spring.datasource.hikari.maximum-pool-size=3").run((context) -> {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			assertThat(dataSource.getMaximumPoolSize()).isEqualTo(3);
			assertThat(dataSource.getMinimumIdle()).isEqualTo(3);
		});
	}

	@Test
	void explicitHikariMaximumGivesOverflowAboveAnExplicitSize() {
		this.runner.withPropertyValues("pool.size=4", "spring.datasource.hikari.maximum-pool-size=10")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMinimumIdle()).isEqualTo(4);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(10);
				assertThat(context.getBean(JdbcPoolSettings.class).overflow().value()).isEqualTo(6);
			});
	}

	@Test
	void samePoolAndHikariValueIsNoConflict() {
		this.runner.withPropertyValues("pool.recycle=10m", "spring.datasource.hikari.max-lifetime=600000")
			.run((context) -> assertThat(context.getBean(HikariDataSource.class).getMaxLifetime()).isEqualTo(600_000));
	}

	@Test
	void disabledLeavesTheDataSourceAsSpringBootMakesIt() {
		ApplicationContextRunner boot = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL);
		boot.run((plain) -> this.runner.withPropertyValues("pool.enabled=false", "pool.size=3").run((context) -> {
			assertThat(context).doesNotHaveBean(JdbcPoolSettings.class);
			HikariDataSource expected = plain.getBean(HikariDataSource.class);
			HikariDataSource actual = context.getBean(HikariDataSource.class);
			assertThat(actual.getMinimumIdle()).isEqualTo(expected.getMinimumIdle());
			assertThat(actual.getMaximumPoolSize()).isEqualTo(expected.getMaximumPoolSize());
			assertThat(actual.getMaxLifetime()).isEqualTo(expected.getMaxLifetime());
			assertThat(actual.getConnectionTimeout()).isEqualTo(expected.getConnectionTimeout());
			assertThat(actual.getIdleTimeout()).isEqualTo(expected.getIdleTimeout());
		}));
	}

	@Test
	void userDataSourceOfAnotherTypeIsNotTouched() {
		this.runner.withUserConfiguration(SimpleDataSourceConfiguration.class)
			.withPropertyValues("pool.size=3")
			.run((context) -> {
				assertThat(context).hasSingleBean(DataSource.class);
				assertThat(context.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
			});
	}

	@Test
	void userHikariDataSourceKeepsItsOwnValuesUnlessItsPoolDatasourcesKeyIsSet() {
		this.runner.withUserConfiguration(UserHikariConfiguration.class)
			.withPropertyValues("pool.size=3", "pool.recycle=5m")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(5);
				assertThat(dataSource.getMinimumIdle()).isEqualTo(2);
				assertThat(dataSource.getMaxLifetime()).isEqualTo(120_000);
			});
		this.runner.withUserConfiguration(UserHikariConfiguration.class)
			.withPropertyValues("pool.datasources.dataSource.size=3", "pool.datasources.dataSource.recycle=5m")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMinimumIdle()).isEqualTo(3);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(5);
				assertThat(dataSource.getMaxLifetime()).isEqualTo(300_000);
				assertThat(dataSource.getConnectionTimeout()).isEqualTo(7_000);
			});
	}

	@Test
	void userHikariDataSourceIgnoresSpringDatasourceHikariKeysMeantForSpringBootsOwn() {
		this.runner.withUserConfiguration(UserHikariConfiguration.class)
			.withPropertyValues("spring.datasource.hikari.max-lifetime=600000",
					"spring.datasource.hikari.maximum-pool-size=30")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMaxLifetime()).isEqualTo(120_000);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(5);
			});
	}

	@Test
	void userHikariDataSourceGetsAnExplicitOverflowOnTopOfItsSize() {
		this.runner.withUserConfiguration(UserHikariConfiguration.class)
			.withPropertyValues("pool.datasources.dataSource.overflow=4")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMinimumIdle()).isEqualTo(2);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(6);
			});
		this.runner.withUserConfiguration(UserHikariConfiguration.class)
			.withPropertyValues("pool.datasources.dataSource.size=9")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMinimumIdle()).isEqualTo(9);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(9);
			});
	}

	@Test
	void startedUserHikariDataSourceIsNotTouched() {
		this.runner.withUserConfiguration(StartedHikariConfiguration.class)
			.withPropertyValues("pool.size=3", "pool.overflow=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMinimumIdle()).isEqualTo(1);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(2);
			});
	}

	@Test
	void missingHikariIsHarmless() {
		this.runner.withClassLoader(new FilteredClassLoader(HikariDataSource.class))
			.withPropertyValues("spring.datasource.type=" + SimpleDriverDataSource.class.getName())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(JdbcPoolSettings.class);
				assertThat(context).doesNotHaveBean(PoolDataSourceBeanPostProcessor.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class SimpleDataSourceConfiguration {

		@Bean
		SimpleDriverDataSource dataSource() {
			SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
			dataSource.setUrl("jdbc:sqlite:" + directory.resolve("simple.db"));
			return dataSource;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHikariConfiguration {

		@Bean
		HikariDataSource dataSource() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:sqlite:" + directory.resolve("user.db"));
			dataSource.setMaximumPoolSize(5);
			dataSource.setMinimumIdle(2);
			dataSource.setMaxLifetime(120_000);
			dataSource.setConnectionTimeout(7_000);
			return dataSource;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StartedHikariConfiguration {

		@Bean(destroyMethod = "close")
		HikariDataSource dataSource() throws Exception {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:sqlite:" + directory.resolve("started.db"));
			dataSource.setMaximumPoolSize(2);
			dataSource.setMinimumIdle(1);
			dataSource.getConnection().close();
			return dataSource;
		}

	}

}
