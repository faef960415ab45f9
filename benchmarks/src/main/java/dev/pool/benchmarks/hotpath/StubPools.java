package dev.pool.benchmarks.hotpath;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.pool.benchmarks.BenchmarkApplication;
import dev.pool.benchmarks.stub.StubDriver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The pools the hot-path benchmark compares, all on the stub driver: the DataSource a
 * Spring Boot application with the starter gets, and raw HikariCP pools with exactly the
 * same settings.
 */
final class StubPools {

	/** The JVM option that makes HikariCP check every borrow (what pre-ping sets). */
	static final String EVERY_BORROW = "-D" + BenchmarkApplication.ALIVE_BYPASS + "=-1";

	private StubPools() {
	}

	/**
	 * Start the application with the stub driver, as a user's application with the
	 * starter starts.
	 * @param properties extra properties, such as {@code pool.pre-ping=false}
	 * @return the running application
	 */
	static ConfigurableApplicationContext application(String... properties) {
		String[] all = new String[properties.length + 2];
		all[0] = "spring.datasource.url=" + StubDriver.PREFIX + "primary";
		all[1] = "spring.datasource.driver-class-name=" + StubDriver.class.getName();
		System.arraycopy(properties, 0, all, 2, properties.length);
		return BenchmarkApplication.startPool(all);
	}

	/**
	 * A raw HikariCP pool with the settings the starter gives Spring Boot's DataSource
	 * (read from a real application, so they cannot drift apart).
	 * @param everyBorrow whether HikariCP checks every borrow (the alive-bypass window
	 * {@code -1}) or keeps its default (500 ms)
	 * @param micrometer whether HikariCP records its Micrometer meters, as it does in an
	 * application with the actuator (which the starter brings)
	 * @return the started pool
	 */
	static HikariDataSource raw(boolean everyBorrow, boolean micrometer) {
		HikariConfig config = new HikariConfig();
		try (ConfigurableApplicationContext application = application()) {
			// The DataSource bean may wrap the pool (the database circuit breaker does).
			application.getBean(DataSource.class).unwrap(HikariDataSource.class).copyStateTo(config);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("The application's DataSource is not HikariCP", ex);
		}
		config.setPoolName("raw");
		config.setMetricsTrackerFactory(
				micrometer ? new MicrometerMetricsTrackerFactory(new SimpleMeterRegistry()) : null);
		// In a forked JVM the benchmark's jvmArgsAppend has set it already; this keeps an
		// in-process run (the smoke test) honest too.
		BenchmarkApplication.aliveBypass(everyBorrow);
		return new HikariDataSource(config);
	}

}
