package dev.pool.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariPoolMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.task.VirtualThreadTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pool.max-waiting} on virtual threads, where HikariCP counts every borrower as
 * waiting while it scans the pool for an idle connection: a caller is refused only when
 * no connection is idle. A real SQLite pool of 20 connections and 16 callers borrowing in
 * a loop, each borrow on a new virtual thread as each request is in a server on virtual
 * threads: with at least 4 connections idle at every moment, nobody is refused.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class MaxWaitingVirtualThreadsTests {

	private static final int CONNECTIONS = 20;

	private static final int THREADS = 16;

	private static final int BORROWS = 2_000;

	@TempDir
	Path directory;

	@Test
	void nobodyIsRefusedWhileAConnectionIsIdle() throws Exception {
		try (ManagedHikariDataSource pool = new ManagedHikariDataSource()) {
			pool.setJdbcUrl("jdbc:sqlite:" + this.directory.resolve("waiting.db"));
			pool.setMaximumPoolSize(CONNECTIONS);
			pool.setMinimumIdle(CONNECTIONS);
			pool.setMaxWaiting(1);
			pool.getConnection().close();
			HikariPoolMXBean mxBean = pool.getHikariPoolMXBean();
			await().atMost(Duration.ofSeconds(30)).until(() -> mxBean.getIdleConnections() == CONNECTIONS);
			VirtualThreadTaskExecutor threads = new VirtualThreadTaskExecutor("borrower-");
			CountDownLatch go = new CountDownLatch(1);
			LongAdder refused = new LongAdder();
			LongAdder served = new LongAdder();
			List<CompletableFuture<Void>> borrowers = new ArrayList<>();
			for (int i = 0; i < THREADS; i++) {
				borrowers.add(threads.submitCompletable(() -> {
					go.await();
					for (int borrow = 0; borrow < BORROWS; borrow++) {
						threads.submitCompletable(() -> {
							try (Connection connection = pool.getConnection();
									Statement statement = connection.createStatement()) {
								statement.execute("SELECT 1");
								served.increment();
							}
							catch (ConnectionWaitLimitException ex) {
								refused.increment();
							}
							return null;
						}).get(30, TimeUnit.SECONDS);
					}
					return null;
				}));
			}
			go.countDown();
			CompletableFuture.allOf(borrowers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
			assertThat(refused.sum()).as("callers refused while connections were idle").isZero();
			assertThat(pool.getRefusedWaitingCount()).isZero();
			assertThat(served.sum()).isEqualTo((long) THREADS * BORROWS);
		}
	}

}
