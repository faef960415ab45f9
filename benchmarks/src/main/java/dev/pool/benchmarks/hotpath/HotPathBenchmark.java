package dev.pool.benchmarks.hotpath;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.benchmarks.BenchmarkApplication;
import dev.pool.jdbc.ReadWriteDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The pool's cost on the hot path, on a stub JDBC driver whose connections do nothing, so
 * only pool code is timed (as in HikariCP's own benchmark).
 * <p>
 * Borrow + return: the DataSource a Spring Boot application with the starter gets,
 * against raw HikariCP pools with the same settings and against plain Spring Boot (the
 * starter disabled). Borrow + statement + return: the {@link ReadWriteDataSource} routing
 * (the starter's layout for SQLite files and {@code pool.read.url}; its connections only
 * take a pooled connection once a statement is made) against the two HikariCP pools it
 * routes to, used directly.
 * <p>
 * {@link HotPath} runs every benchmark once in a fork of its own, then all again, in
 * rounds. HikariCP reads its alive-bypass window from a JVM-wide system property, so each
 * benchmark runs in JVMs of its own, and the raw pools and plain Spring Boot, which check
 * every borrow the way HikariCP can, get {@code -1} on the command line (the starter
 * checks every borrow itself, per pool).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class HotPathBenchmark {

	// Borrow + return.

	@Benchmark
	@Fork(value = 1, jvmArgsAppend = StubPools.EVERY_BORROW)
	public void rawHikari(RawHikari pool) throws SQLException {
		borrowReturn(pool.dataSource);
	}

	@Benchmark
	@Fork(value = 1, jvmArgsAppend = StubPools.EVERY_BORROW)
	public void rawHikariMicrometer(RawHikariMicrometer pool) throws SQLException {
		borrowReturn(pool.dataSource);
	}

	@Benchmark
	public void starter(Starter pool) throws SQLException {
		borrowReturn(pool.dataSource);
	}

	@Benchmark
	@Fork(value = 1, jvmArgsAppend = StubPools.EVERY_BORROW)
	public void plainBoot(PlainBoot pool) throws SQLException {
		borrowReturn(pool.dataSource);
	}

	@Benchmark
	public void rawHikariNoPrePing(RawHikariNoPrePing pool) throws SQLException {
		borrowReturn(pool.dataSource);
	}

	@Benchmark
	public void starterNoPrePing(StarterNoPrePing pool) throws SQLException {
		borrowReturn(pool.dataSource);
	}

	// Borrow + statement + return: the routing proxy against the very pools it routes to.

	@Benchmark
	public void writePoolDirect(Routing pool) throws SQLException {
		borrowStatementReturn(pool.writePool, false);
	}

	@Benchmark
	public void routingReadWrite(Routing pool) throws SQLException {
		borrowStatementReturn(pool.dataSource, false);
	}

	@Benchmark
	public void readPoolDirect(Routing pool) throws SQLException {
		borrowStatementReturn(pool.readPool, true);
	}

	@Benchmark
	public void routingReadOnly(Routing pool) throws SQLException {
		borrowStatementReturn(pool.dataSource, true);
	}

	private static void borrowReturn(DataSource dataSource) throws SQLException {
		Connection connection = dataSource.getConnection();
		connection.close();
	}

	private static void borrowStatementReturn(DataSource dataSource, boolean readOnly) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			if (readOnly) {
				connection.setReadOnly(true);
			}
			Statement statement = connection.createStatement();
			statement.close();
		}
	}

	/** A raw HikariCP pool with the starter's settings, checking every borrow. */
	@State(Scope.Benchmark)
	public static class RawHikari {

		HikariDataSource dataSource;

		@Setup(Level.Trial)
		public void start() {
			this.dataSource = StubPools.raw(true, false);
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.dataSource.close();
		}

	}

	/**
	 * The same, recording HikariCP's Micrometer meters as in an application with the
	 * actuator.
	 */
	@State(Scope.Benchmark)
	public static class RawHikariMicrometer {

		HikariDataSource dataSource;

		@Setup(Level.Trial)
		public void start() {
			this.dataSource = StubPools.raw(true, true);
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.dataSource.close();
		}

	}

	/**
	 * A raw HikariCP pool with the starter's settings and HikariCP's default alive-bypass
	 * window.
	 */
	@State(Scope.Benchmark)
	public static class RawHikariNoPrePing {

		HikariDataSource dataSource;

		@Setup(Level.Trial)
		public void start() {
			this.dataSource = StubPools.raw(false, false);
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.dataSource.close();
		}

	}

	/**
	 * The DataSource bean of an application, started by Spring Boot with the given
	 * properties.
	 */
	public abstract static class Application {

		ConfigurableApplicationContext context;

		DataSource dataSource;

		/**
		 * Whether HikariCP checks every borrow before the application starts (a
		 * {@code -D} option).
		 */
		abstract boolean everyBorrow();

		abstract String[] properties();

		@Setup(Level.Trial)
		public void start() {
			BenchmarkApplication.aliveBypass(everyBorrow());
			this.context = StubPools.application(properties());
			this.dataSource = this.context.getBean(DataSource.class);
			check();
		}

		/**
		 * Fail the trial when the application did not make the DataSource this state
		 * measures.
		 */
		void check() {
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.context.close();
		}

	}

	/** The starter as users get it: defaults (pre-ping on). */
	@State(Scope.Benchmark)
	public static class Starter extends Application {

		@Override
		boolean everyBorrow() {
			return false;
		}

		@Override
		String[] properties() {
			return new String[0];
		}

	}

	/** The starter with {@code pool.pre-ping=false}. */
	@State(Scope.Benchmark)
	public static class StarterNoPrePing extends Application {

		@Override
		boolean everyBorrow() {
			return false;
		}

		@Override
		String[] properties() {
			return new String[] { "pool.pre-ping=false" };
		}

	}

	/**
	 * Plain Spring Boot (the starter disabled), checking every borrow like the starter.
	 */
	@State(Scope.Benchmark)
	public static class PlainBoot extends Application {

		@Override
		boolean everyBorrow() {
			return true;
		}

		@Override
		String[] properties() {
			return new String[] { "pool.enabled=false" };
		}

	}

	/**
	 * The starter's read/write layout around two stub pools: {@code pool.read.url} names
	 * a second stub database, so the DataSource bean is a {@link ReadWriteDataSource};
	 * its two pools are measured directly too.
	 */
	@State(Scope.Benchmark)
	public static class Routing extends Application {

		HikariDataSource writePool;

		HikariDataSource readPool;

		@Override
		boolean everyBorrow() {
			return false;
		}

		@Override
		String[] properties() {
			return new String[] { "pool.read.url=jdbc:stub:replica" };
		}

		@Override
		void check() {
			ReadWriteDataSource routing = ReadWriteDataSource.find(this.dataSource);
			if (routing == null) {
				throw new IllegalStateException("expected the starter's ReadWriteDataSource, got " + this.dataSource);
			}
			this.writePool = routing.getWritePool();
			this.readPool = routing.getReadPool();
		}

	}

}
