package dev.pool.jdbc;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * The application's DataSource when it has a write pool and a read pool: work inside
 * {@code @Transactional(readOnly = true)} runs on a connection of the read pool, everything
 * else on the write pool. Built on Spring's {@link LazyConnectionDataSourceProxy}, which
 * fetches the physical connection only at the first statement, once the transaction's
 * read-only flag is known.
 * <p>
 * For SQLite the pools are {@code writer} (one connection, so writes queue in the pool
 * instead of failing with {@code SQLITE_BUSY}) and {@code reader}; with
 * {@code pool.read.url} they are {@code primary} and {@code read} (a replica).
 */
public class ReadWriteDataSource extends LazyConnectionDataSourceProxy implements AutoCloseable {

	private final HikariDataSource writePool;

	private final String writeName;

	private final HikariDataSource readPool;

	private final String readName;

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
		setReadOnlyDataSource(readPool);
		this.writePool = writePool;
		this.writeName = writeName;
		this.readPool = readPool;
		this.readName = readName;
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
	 * Whether a DataSource is (or wraps) a read/write pair.
	 * @param dataSource any DataSource
	 * @return the pair, or null
	 */
	public static ReadWriteDataSource find(DataSource dataSource) {
		try {
			return dataSource.isWrapperFor(ReadWriteDataSource.class) ? dataSource.unwrap(ReadWriteDataSource.class)
					: null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

}
