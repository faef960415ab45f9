package dev.pool.jdbc.autoconfigure;

import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring knows the DataSource bean's type before the bean exists, and the bean has that
 * type once made: what {@code getType} and {@code getBeanNamesForType} say before the
 * DataSource is created (it is made lazy here, so that the context is refreshed without
 * it) is what they say after, and a bean that asks for the concrete type before the
 * DataSource exists gets it. Nothing here connects: a pool starts at its first borrow.
 */
class DataSourceBeanTypeTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL);

	@Test
	void springBootsSinglePoolIsAManagedHikariDataSourceBeforeAndAfterItIsMade() {
		this.runner.withInitializer((context) -> context.addBeanFactoryPostProcessor(lazy("dataSource")))
			.run((context) -> assertSameTypeBeforeAndAfter(context, "dataSource", ManagedHikariDataSource.class));
	}

	@Test
	void springBootsDataSourceWithAReplicaIsAReadWriteDataSourceBeforeAndAfterItIsMade() {
		this.runner.withPropertyValues("pool.read.url=" + Databases.POSTGRES_URL)
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(lazy("dataSource")))
			.run((context) -> assertSameTypeBeforeAndAfter(context, "dataSource", ReadWriteDataSource.class));
	}

	@Test
	void springBootsDataSourceOnASqliteFileIsAReadWriteDataSourceBeforeAndAfterItIsMade() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("lazy.db"))
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(lazy("dataSource")))
			.run((context) -> assertSameTypeBeforeAndAfter(context, "dataSource", ReadWriteDataSource.class));
	}

	@Test
	void aReplicaOfTheApplicationsOwnPoolIsAReadWriteDataSourceBeforeAndAfterItIsMade() {
		this.runner.withUserConfiguration(OwnPool.class)
			.withPropertyValues("pool.datasources.orders.read.url=" + Databases.POSTGRES_URL)
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(lazy("orders")))
			.run((context) -> assertSameTypeBeforeAndAfter(context, "orders", ReadWriteDataSource.class));
	}

	@Test
	void theApplicationsOwnPoolWithoutAReplicaKeepsItsType() {
		this.runner.withUserConfiguration(OwnPool.class)
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(lazy("orders")))
			.run((context) -> assertSameTypeBeforeAndAfter(context, "orders", HikariDataSource.class));
	}

	@Test
	void aBeanMadeBeforeTheDataSourceGetsItByItsConcreteType() {
		this.runner.withUserConfiguration(NeedsManagedPool.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Holder.class).dataSource()).isSameAs(context.getBean(DataSource.class));
		});
		this.runner.withUserConfiguration(NeedsReadWritePair.class)
			.withPropertyValues("pool.read.url=" + Databases.POSTGRES_URL)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Holder.class).dataSource()).isSameAs(context.getBean(DataSource.class));
			});
	}

	@Test
	void aConnectionDetailsUrlThatWouldChangeTheTypeStopsStartUpNamingTheKeyToSet() {
		this.runner.withUserConfiguration(SqliteConnectionDetails.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("spring.datasource.url")
				.hasMessageContaining("Set spring.datasource.url to the URL the JdbcConnectionDetails bean gives");
		});
	}

	private static void assertSameTypeBeforeAndAfter(AssertableApplicationContext context, String name,
			Class<?> expected) {
		assertThat(context).hasNotFailed();
		assertThat(context.getBeanFactory().containsSingleton(name)).as("made before it was asked for").isFalse();
		Class<?> predicted = context.getBeanFactory().getType(name);
		assertThat(predicted).as("type predicted").isEqualTo(expected);
		assertThat(context.getBeanNamesForType(expected)).as("names for the type before").contains(name);
		Object bean = context.getBean(name);
		assertThat(bean.getClass()).as("type of the bean made").isEqualTo(expected);
		assertThat(context.getBeanFactory().getType(name)).as("type after").isEqualTo(predicted);
		assertThat(context.getBeanNamesForType(expected)).as("names for the type after").contains(name);
	}

	private static BeanFactoryPostProcessor lazy(String name) {
		return (beanFactory) -> beanFactory.getBeanDefinition(name).setLazyInit(true);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPool {

		@Bean
		HikariDataSource orders() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(Databases.POSTGRES_URL);
			dataSource.setUsername(Databases.POSTGRES_USER);
			return dataSource;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SqliteConnectionDetails {

		@Bean
		JdbcConnectionDetails sqliteConnectionDetails() {
			return new JdbcConnectionDetails() {

				@Override
				public String getUsername() {
					return null;
				}

				@Override
				public String getPassword() {
					return null;
				}

				@Override
				public String getJdbcUrl() {
					return "jdbc:sqlite:" + directory.resolve("details.db");
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NeedsManagedPool {

		@Bean
		Holder needsManagedPool(ManagedHikariDataSource dataSource) {
			return new Holder(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NeedsReadWritePair {

		@Bean
		Holder needsReadWritePair(ReadWriteDataSource dataSource) {
			return new Holder(dataSource);
		}

	}

	record Holder(DataSource dataSource) {
	}

}
