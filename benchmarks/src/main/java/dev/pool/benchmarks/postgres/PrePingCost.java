package dev.pool.benchmarks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.pool.benchmarks.Median;
import dev.pool.jdbc.ManagedHikariDataSource;

/**
 * What strict pre-ping costs per borrow on PostgreSQL, apart from everything else: two
 * pools of the starter's own class on one server, pre-ping on and off, borrowed and
 * returned without a query in alternating batches (the order changes each round), and a
 * primary-key-sized query ({@code SELECT 1}) on a held connection for scale. The
 * difference per borrow is the check: pgjdbc's buffer and the socket's
 * {@code available()} (one {@code ioctl(FIONREAD)}). Not part of {@code run.sh}: <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.pool.benchmarks.postgres.PrePingCost \
 *     [jdbc:postgresql://127.0.0.1:5432/test [user]]
 * </pre>
 */
public final class PrePingCost {

	private static final int BATCH = 100_000;

	private static final int QUERIES = 10_000;

	private static final int WARMUP_ROUNDS = 5;

	private static final int ROUNDS = 15;

	private PrePingCost() {
	}

	public static void main(String[] args) throws SQLException {
		String url = (args.length > 0) ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
		String user = (args.length > 1) ? args[1] : "postgres";
		try (ManagedHikariDataSource on = pool(url, user, true); ManagedHikariDataSource off = pool(url, user, false)) {
			List<Double> checks = new ArrayList<>();
			List<Double> queries = new ArrayList<>();
			for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
				boolean onFirst = round % 2 == 0;
				double first = borrowNanos(onFirst ? on : off);
				double second = borrowNanos(onFirst ? off : on);
				double withCheck = onFirst ? first : second;
				double without = onFirst ? second : first;
				double query = queryNanos(off);
				if (round >= WARMUP_ROUNDS) {
					checks.add(withCheck - without);
					queries.add(query);
					System.out.printf(Locale.ROOT,
							"round %d: borrow + return %.0f ns with pre-ping, %.0f ns without; SELECT 1 %.0f ns%n",
							round - WARMUP_ROUNDS, withCheck, without, query);
				}
			}
			double check = Median.of(checks);
			double query = Median.of(queries);
			System.out.printf(Locale.ROOT,
					"pre-ping's check: %.0f ns per borrow (median of %d rounds), %.1f%% of SELECT 1 (%.0f ns)%n", check,
					ROUNDS, 100 * check / query, query);
		}
	}

	private static ManagedHikariDataSource pool(String url, String user, boolean prePing) {
		ManagedHikariDataSource pool = new ManagedHikariDataSource();
		pool.setJdbcUrl(url);
		pool.setUsername(user);
		pool.setMaximumPoolSize(1);
		pool.setPoolName("pre-ping-" + (prePing ? "on" : "off"));
		pool.setStrictPrePing(prePing);
		return pool;
	}

	private static double borrowNanos(ManagedHikariDataSource pool) throws SQLException {
		long start = System.nanoTime();
		for (int i = 0; i < BATCH; i++) {
			Connection connection = pool.getConnection();
			connection.close();
		}
		return (double) (System.nanoTime() - start) / BATCH;
	}

	private static double queryNanos(ManagedHikariDataSource pool) throws SQLException {
		try (Connection connection = pool.getConnection();
				PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
			long start = System.nanoTime();
			for (int i = 0; i < QUERIES; i++) {
				try (ResultSet result = statement.executeQuery()) {
					result.next();
				}
			}
			return (double) (System.nanoTime() - start) / QUERIES;
		}
	}

}
