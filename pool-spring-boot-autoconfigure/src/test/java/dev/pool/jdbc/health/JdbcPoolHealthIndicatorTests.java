package dev.pool.jdbc.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pool.jdbc.ConnectionWaitLimitException;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.JdbcPoolState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state a pool's health reports agrees with the counts it shows. A pool's counts are
 * read at slightly different moments, and HikariCP hands connections that come free to
 * the callers that wait: a moment with idle connections and waiting callers cannot be
 * made on a real server at will, so a pool that reports fixed counts stands in for it.
 */
class JdbcPoolHealthIndicatorTests {

	@Test
	void idleConnectionsBeingHandedToWaitingCallersAreNotCalledBusy() {
		Health health = health(new Counts(0, 2, 1));
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", "callers waiting")
			.containsEntry("active", 0)
			.containsEntry("idle", 2)
			.containsEntry("waiting", 1);
	}

	@Test
	void everyConnectionInUseWithRoomToGrowIsBusy() {
		Health health = health(new Counts(3, 0, 1));
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", "busy")
			.containsEntry("active", 3)
			.containsEntry("idle", 0);
	}

	@Test
	void everyConnectionOfAFullPoolInUseIsSaturated() {
		Health health = health(new Counts(4, 0, 5));
		assertThat(health.getDetails()).containsEntry("state", "saturated").containsEntry("utilisation", "1.00");
	}

	/**
	 * The check found an idle connection, but callers took it and filled the waiting room
	 * before the check's borrow: the pool refuses the borrow at once, and an idle
	 * connection may still show while it is handed to a caller. Busy, not down.
	 */
	@Test
	void aBorrowRefusedBecauseCallersFillTheWaitingRoomIsBusyNotDown() {
		Health health = health(new Counts(1, 1, 0), new ConnectionWaitLimitException("fixed", 0));
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", "busy");
	}

	/**
	 * HikariCP's acquire timeout with no failed connection behind it: callers held every
	 * connection for the whole timeout. Busy, not down.
	 */
	@Test
	void anAcquireTimeoutWithNoFailedConnectionIsBusyNotDown() {
		Health health = health(new Counts(1, 1, 0), new SQLTransientConnectionException(
				"fixed - Connection is not available, request timed out after 10000ms"));
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", "busy");
	}

	/**
	 * HikariCP's acquire timeout with a failed connection as its cause: the database
	 * cannot be reached.
	 */
	@Test
	void anAcquireTimeoutCausedByAFailedConnectionIsDown() {
		Health health = health(new Counts(1, 1, 0),
				new SQLTransientConnectionException(
						"fixed - Connection is not available, request timed out after 10000ms", "08001",
						new SQLException("Connection refused", "08001")));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("state", "database not reachable");
	}

	private static Health health(Counts counts) {
		return health(counts, null);
	}

	private static Health health(Counts counts, SQLException borrowFailure) {
		HikariDataSource pool = new HikariDataSource() {

			@Override
			public HikariPoolMXBean getHikariPoolMXBean() {
				return counts;
			}

			@Override
			public Connection getConnection() throws SQLException {
				if (borrowFailure != null) {
					throw borrowFailure;
				}
				return super.getConnection();
			}

		};
		pool.setPoolName("fixed");
		pool.setMinimumIdle(2);
		pool.setMaximumPoolSize(4);
		Health health = new JdbcPoolHealthIndicator(new JdbcPool("primary", pool), () -> observed(pool), (role) -> null)
			.health();
		assertThat(health.getDetails()).containsEntry("max", 4);
		return health;
	}

	/**
	 * A pool the starter only observes: its counts are HikariCP's.
	 */
	static JdbcPoolDescription observed(HikariDataSource pool) {
		return new JdbcPoolDescription(null, JdbcPool.PRIMARY, pool.getPoolName(), pool.getJdbcUrl(), null, Map.of(),
				null, JdbcPoolState.of(pool), pool);
	}

	/**
	 * A pool's counts, as HikariCP reports them.
	 */
	private record Counts(int active, int idle, int waiting) implements HikariPoolMXBean {

		@Override
		public int getIdleConnections() {
			return this.idle;
		}

		@Override
		public int getActiveConnections() {
			return this.active;
		}

		@Override
		public int getTotalConnections() {
			return this.active + this.idle;
		}

		@Override
		public int getThreadsAwaitingConnection() {
			return this.waiting;
		}

		@Override
		public void softEvictConnections() {
		}

		@Override
		public void suspendPool() {
		}

		@Override
		public void resumePool() {
		}

	}

}
