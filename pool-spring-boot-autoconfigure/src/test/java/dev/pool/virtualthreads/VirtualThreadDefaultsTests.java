package dev.pool.virtualthreads;

import java.nio.file.Path;

import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.limits.ResourceLimits;
import dev.pool.limits.autoconfigure.LimitsAutoConfiguration;
import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code spring.threads.virtual.enabled=true} the thread pools that bounded an
 * application's concurrency are gone; the starter puts bounds back where none is set: the
 * request limit (servlet applications), the JDBC pool's waiting room, and the
 * {@code @Async} executor's concurrency. Without virtual threads nothing changes.
 */
class VirtualThreadDefaultsTests {

	@TempDir
	static Path directory;

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(DataSourceAutoConfiguration.class,
			PoolJdbcAutoConfiguration.class, TaskExecutionAutoConfiguration.class, LimitsAutoConfiguration.class);

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL, "spring.threads.virtual.enabled=true");

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void theRequestLimitRestoresTomcatsThreadPoolBound() {
		this.servlet.run((context) -> assertThat(context.getBean(ResourceLimits.class).getMaxConcurrentRequests())
			.isEqualTo(200));
		this.servlet.withPropertyValues("server.tomcat.threads.max=50")
			.run((context) -> assertThat(context.getBean(ResourceLimits.class).getMaxConcurrentRequests())
				.isEqualTo(50));
		this.servlet.withPropertyValues("pool.limits.max-concurrent-requests=7")
			.run((context) -> assertThat(context.getBean(ResourceLimits.class).getMaxConcurrentRequests())
				.isEqualTo(7));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void aReactiveApplicationKeepsItsEventLoopsBound() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL,
					"spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(context.getBean(ResourceLimits.class).getMaxConcurrentRequests()).isNull());
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void theJdbcPoolGetsAWaitingRoomOfTenCallersPerConnection() {
		this.servlet.run((context) -> {
			ManagedHikariDataSource pool = context.getBean(ManagedHikariDataSource.class);
			assertThat(pool.getMaximumPoolSize()).isEqualTo(10);
			assertThat(pool.getMaxWaiting()).isEqualTo(100);
		});
		this.servlet.withPropertyValues("pool.max-waiting=5")
			.run((context) -> assertThat(context.getBean(ManagedHikariDataSource.class).getMaxWaiting()).isEqualTo(5));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void eachPoolsWaitingRoomFollowsItsOwnMaximum() {
		this.servlet
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("waiting-room.db"),
					"pool.size=4", "pool.overflow=2")
			.run((context) -> {
				ReadWriteDataSource pools = context.getBean(ReadWriteDataSource.class);
				assertThat(pools.getWritePool().getMaximumPoolSize()).isOne();
				assertThat(((ManagedHikariDataSource) pools.getWritePool()).getMaxWaiting())
					.as("SQLite's one writer connection")
					.isEqualTo(10);
				assertThat(((ManagedHikariDataSource) pools.getReadPool()).getMaxWaiting()).isEqualTo(60);
			});
		this.servlet
			.withPropertyValues("pool.size=4", "pool.overflow=2", "pool.read.url=" + Databases.POSTGRES_URL,
					"pool.read.size=1", "pool.read.overflow=1")
			.run((context) -> {
				ReadWriteDataSource pools = context.getBean(ReadWriteDataSource.class);
				assertThat(((ManagedHikariDataSource) pools.getWritePool()).getMaxWaiting()).isEqualTo(60);
				assertThat(((ManagedHikariDataSource) pools.getReadPool()).getMaxWaiting()).as("the replica's own")
					.isEqualTo(20);
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void aPoolOfTheApplicationsOwnGetsAWaitingRoomOnItsOwnMaximum() {
		this.servlet.withPropertyValues("pool.size=4", "pool.overflow=2")
			.withBean("reports", ManagedHikariDataSource.class, () -> {
				ManagedHikariDataSource reports = new ManagedHikariDataSource();
				reports.setJdbcUrl("jdbc:sqlite:" + directory.resolve("reports.db"));
				reports.setMaximumPoolSize(3);
				return reports;
			}, (definition) -> ((org.springframework.beans.factory.support.AbstractBeanDefinition) definition)
				.setDefaultCandidate(false))
			.run((context) -> {
				ManagedHikariDataSource reports = context.getBean("reports", ManagedHikariDataSource.class);
				assertThat(reports.getMaximumPoolSize()).isEqualTo(3);
				assertThat(reports.getMaxWaiting()).as("its own maximum, not Spring Boot's pool's").isEqualTo(30);
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void theAsyncExecutorRunsAsManyTasksAtOnceAsItsPlatformThreadPoolWould() {
		this.servlet.run((context) -> {
			SimpleAsyncTaskExecutor executor = context.getBean("applicationTaskExecutor",
					SimpleAsyncTaskExecutor.class);
			assertThat(executor.getConcurrencyLimit()).isEqualTo(8);
		});
		this.servlet.withPropertyValues("spring.task.execution.simple.concurrency-limit=3")
			.run((context) -> assertThat(
					context.getBean("applicationTaskExecutor", SimpleAsyncTaskExecutor.class).getConcurrencyLimit())
				.isEqualTo(3));
	}

	@Test
	void withoutVirtualThreadsNothingIsBounded() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL)
			.run((context) -> {
				assertThat(context.getBean(ResourceLimits.class).getMaxConcurrentRequests()).isNull();
				assertThat(context.getBean(ManagedHikariDataSource.class).getMaxWaiting()).isEqualTo(-1);
			});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void theVirtualThreadsPropertyAloneChangesNothingBeforeJava21() {
		this.servlet.run((context) -> {
			assertThat(context.getBean(ResourceLimits.class).getMaxConcurrentRequests()).isNull();
			assertThat(context.getBean(ManagedHikariDataSource.class).getMaxWaiting()).isEqualTo(-1);
		});
	}

	@Test
	void aPlainApplicationContextHasNoRequestLimit() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL,
					"spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(context.getBean(ResourceLimits.class).getMaxConcurrentRequests()).isNull());
	}

}
