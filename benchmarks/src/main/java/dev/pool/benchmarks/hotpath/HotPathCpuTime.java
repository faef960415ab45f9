package dev.pool.benchmarks.hotpath;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import dev.pool.benchmarks.BenchmarkApplication;
import dev.pool.benchmarks.stub.StubDriver;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Borrow + return timed in the thread's CPU time rather than wall-clock time, for a
 * machine shared with other work (where a thread waiting for a core makes JMH's
 * wall-clock scores swing by tens of percent): plain Spring Boot's pool (HikariCP
 * checking every borrow) and the starter's, on the stub driver, in one JVM, in
 * alternating batches whose order changes each round. Not part of {@code run.sh}: <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.pool.benchmarks.hotpath.HotPathCpuTime
 * </pre> The two pools share the JVM (and HikariCP's compiled code); JMH's
 * {@link HotPathBenchmark} keeps them apart and stays the reference on a quiet machine.
 */
public final class HotPathCpuTime {

	private static final int BATCH = 200_000;

	private static final int WARMUP_ROUNDS = 15;

	private static final int ROUNDS = 30;

	private HotPathCpuTime() {
	}

	public static void main(String[] args) throws SQLException {
		String url = "spring.datasource.url=" + StubDriver.PREFIX + "primary";
		String driver = "spring.datasource.driver-class-name=" + StubDriver.class.getName();
		// HikariCP reads its alive-bypass window when a pool starts: plain Spring Boot's
		// checks every borrow, as in HotPathBenchmark.plainBoot.
		BenchmarkApplication.aliveBypass(true);
		try (ConfigurableApplicationContext plain = BenchmarkApplication.startPool(url, driver, "pool.enabled=false")) {
			BenchmarkApplication.aliveBypass(false);
			try (ConfigurableApplicationContext starter = BenchmarkApplication.startPool(url, driver)) {
				run(plain.getBean(DataSource.class), starter.getBean(DataSource.class));
			}
		}
	}

	private static void run(DataSource plain, DataSource starter) throws SQLException {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		for (int i = 0; i < WARMUP_ROUNDS; i++) {
			plainBatch(plain);
			starterBatch(starter);
		}
		List<Double> ratios = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			long plainNanos;
			long starterNanos;
			long start = threads.getCurrentThreadCpuTime();
			if (round % 2 == 0) {
				plainBatch(plain);
				long middle = threads.getCurrentThreadCpuTime();
				starterBatch(starter);
				plainNanos = middle - start;
				starterNanos = threads.getCurrentThreadCpuTime() - middle;
			}
			else {
				starterBatch(starter);
				long middle = threads.getCurrentThreadCpuTime();
				plainBatch(plain);
				starterNanos = middle - start;
				plainNanos = threads.getCurrentThreadCpuTime() - middle;
			}
			ratios.add((double) plainNanos / starterNanos);
			System.out.printf(Locale.ROOT,
					"round %d: plain Spring Boot %.1f ns, starter %.1f ns of CPU per borrow + return%n", round,
					(double) plainNanos / BATCH, (double) starterNanos / BATCH);
		}
		Collections.sort(ratios);
		System.out.printf(Locale.ROOT,
				"starter ÷ plain Spring Boot (speed in CPU time), %d rounds: median %.3f, quartiles %.3f – %.3f, "
						+ "range %.3f – %.3f%n",
				ROUNDS, (ratios.get(ROUNDS / 2 - 1) + ratios.get(ROUNDS / 2)) / 2, ratios.get(ROUNDS / 4),
				ratios.get(ROUNDS * 3 / 4), ratios.get(0), ratios.get(ROUNDS - 1));
	}

	// One loop per pool, so that neither call site sees the other pool's class.

	private static void plainBatch(DataSource dataSource) throws SQLException {
		for (int i = 0; i < BATCH; i++) {
			Connection connection = dataSource.getConnection();
			connection.close();
		}
	}

	private static void starterBatch(DataSource dataSource) throws SQLException {
		for (int i = 0; i < BATCH; i++) {
			Connection connection = dataSource.getConnection();
			connection.close();
		}
	}

}
