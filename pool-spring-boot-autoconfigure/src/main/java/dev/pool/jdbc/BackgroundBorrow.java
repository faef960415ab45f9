package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A borrow on a thread of the starter's own (the start-up server check, a health check's
 * first start) that never leaves a pool behind its DataSource's close.
 * <p>
 * The first borrow starts HikariCP's pool, which takes as long as the first connection
 * does. A {@link HikariDataSource#close()} that runs meanwhile finds no pool yet and has
 * nothing to shut down; the pool then starts anyway, with its housekeeper thread and its
 * connections, and nothing would ever close it. Here the borrowing thread looks, once its
 * borrow has returned or failed, whether the DataSource was closed, and shuts down the
 * pool it started. Of the close and the start, at least one sees the other: the pool is
 * published before the closed flag is read here, and the flag is set before
 * {@code close()} reads the pool.
 */
public final class BackgroundBorrow {

	private static final Log logger = LogFactory.getLog(BackgroundBorrow.class);

	private BackgroundBorrow() {
	}

	/**
	 * Borrow a connection, starting the pool if needed, and shut the pool down again if
	 * its DataSource was closed meanwhile.
	 * @param dataSource the pool
	 * @return a connection of a pool that is not closed
	 * @throws SQLException if the pool cannot hand out a connection, or was closed while
	 * it started
	 */
	public static Connection getConnection(HikariDataSource dataSource) throws SQLException {
		Connection connection;
		try {
			connection = dataSource.getConnection();
		}
		catch (SQLException | RuntimeException | Error ex) {
			shutDownIfClosed(dataSource);
			throw ex;
		}
		if (!dataSource.isClosed()) {
			return connection;
		}
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// The pool is shut down next, with every connection.
		}
		shutDownIfClosed(dataSource);
		throw new SQLException("HikariDataSource " + dataSource.getPoolName() + " was closed while it started");
	}

	/**
	 * Shut down the pool of a closed DataSource that a borrow started after the close.
	 * @param dataSource the pool
	 */
	static void shutDownIfClosed(HikariDataSource dataSource) {
		if (!dataSource.isClosed()) {
			return;
		}
		HikariPoolMXBean started = dataSource.getHikariPoolMXBean();
		if (!(started instanceof HikariPool pool) || pool.poolState == HikariPool.POOL_SHUTDOWN) {
			return;
		}
		logger.info("pool: " + dataSource.getPoolName() + " started after its DataSource was closed: shutting it down");
		// An interrupt (the context closing stops the thread that borrows) would cut the
		// shutdown short.
		boolean interrupted = Thread.interrupted();
		try {
			pool.shutdown();
		}
		catch (InterruptedException ex) {
			interrupted = true;
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
