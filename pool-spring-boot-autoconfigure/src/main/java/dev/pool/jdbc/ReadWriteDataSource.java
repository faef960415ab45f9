package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's DataSource when it has a write pool and a read pool: work inside
 * {@code @Transactional(readOnly = true)} runs on a connection of the read pool,
 * everything else on the write pool. Its connections take the physical connection only at
 * the first statement, once the transaction's read-only flag is known, as Spring's
 * {@code LazyConnectionDataSourceProxy} does with a read-only DataSource, but with plain
 * calls: no dynamic proxy, no reflective call per statement. A connection that serves
 * several transactions (Hibernate's, with open-in-view) chooses the pool again when each
 * begins. As a {@link DelegatingDataSource}, it unwraps to the write pool.
 * <p>
 * For SQLite the pools are {@code writer} (one connection, so writes queue in the pool
 * instead of failing with {@code SQLITE_BUSY}) and {@code reader}; with
 * {@code pool.read.url} they are {@code primary} and {@code read} (a replica).
 */
public class ReadWriteDataSource extends DelegatingDataSource implements AutoCloseable {

	private final HikariDataSource writePool;

	private final String writeName;

	private final HikariDataSource readPool;

	private final String readName;

	/** The isolation level of a connection left as the driver opens it, once known. */
	private volatile Integer defaultTransactionIsolation;

	/**
	 * Create a new instance.
	 * @param writePool the pool for read-write work
	 * @param writeName the write pool's role ({@code writer} or {@code primary})
	 * @param readPool the pool for read-only transactions, opened read-only
	 * @param readName the read pool's role ({@code reader} or {@code read})
	 */
	public ReadWriteDataSource(HikariDataSource writePool, String writeName, HikariDataSource readPool,
			String readName) {
		super(writePool);
		this.writePool = writePool;
		this.writeName = writeName;
		this.readPool = readPool;
		this.readName = readName;
	}

	/**
	 * Return a connection that takes a physical one from the read pool or the write pool
	 * at its first statement.
	 * @return the connection
	 */
	@Override
	public Connection getConnection() {
		return new RoutingConnection(this);
	}

	/**
	 * Return a connection of the given user: not supported, as by HikariCP, whose pools
	 * connect with their own users.
	 * @throws SQLFeatureNotSupportedException always
	 */
	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLFeatureNotSupportedException("The read and write pools connect with their own users: "
				+ "use getConnection() (spring.datasource.username and pool.read.username set them)");
	}

	/**
	 * The isolation level the write pool's connections are opened with.
	 * @param connection a connection just taken from a pool, as it was opened
	 * @return the level
	 * @throws SQLException if the level cannot be read
	 */
	int defaultTransactionIsolation(Connection connection) throws SQLException {
		Integer level = this.defaultTransactionIsolation;
		if (level == null) {
			level = connection.getTransactionIsolation();
			this.defaultTransactionIsolation = level;
		}
		return level;
	}

	public HikariDataSource getWritePool() {
		return this.writePool;
	}

	public String getWriteName() {
		return this.writeName;
	}

	public HikariDataSource getReadPool() {
		return this.readPool;
	}

	public String getReadName() {
		return this.readName;
	}

	/**
	 * Close both pools.
	 */
	@Override
	public void close() {
		this.readPool.close();
		this.writePool.close();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.writeName + "=" + this.writePool.getPoolName() + ", "
				+ this.readName + "=" + this.readPool.getPoolName() + "]";
	}

	/**
	 * Whether a DataSource is (or wraps) a read/write pair. A routing DataSource is never
	 * asked ({@code isWrapperFor} would ask it for its current target, which it may not
	 * have outside a request): its targets are DataSources of their own.
	 * @param dataSource any DataSource
	 * @return the pair, or null
	 */
	public static @Nullable ReadWriteDataSource find(DataSource dataSource) {
		return JdbcPool.unwrap(dataSource, ReadWriteDataSource.class);
	}

}
