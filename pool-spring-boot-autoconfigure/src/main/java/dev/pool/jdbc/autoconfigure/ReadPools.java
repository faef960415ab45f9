package dev.pool.jdbc.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;

import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.autoconfigure.PoolProperties;
import dev.pool.jdbc.ManagedHikariDataSource;

import org.springframework.boot.context.properties.PropertyMapper;

/**
 * Makes the read pool that sits beside the application's pool: SQLite readers over the same
 * file, or a replica named by {@code pool.read.url}. It shares the primary pool's timeouts,
 * recycling and driver settings, and opens its connections read-only.
 */
final class ReadPools {

	private ReadPools() {
	}

	/**
	 * A pool of read-only connections to the writer's SQLite file, sized by
	 * {@code pool.size} and {@code pool.overflow}.
	 */
	static ManagedHikariDataSource sqliteReader(ManagedHikariDataSource writer, JdbcPoolSettings settings) {
		ManagedHikariDataSource reader = sharedSettings(writer);
		reader.setJdbcUrl(writer.getJdbcUrl());
		writer.getDataSourceProperties().forEach((key, value) -> {
			if (!SqliteSettings.WRITER_ONLY.contains(key)) {
				reader.addDataSourceProperty((String) key, value);
			}
		});
		reader.addDataSourceProperty(SqliteSettings.OPEN_MODE, SqliteSettings.OPEN_READ_ONLY);
		reader.setMinimumIdle(settings.size().value());
		reader.setMaximumPoolSize(settings.maximum());
		reader.setIdleTimeout((settings.overflow().value() > 0) ? settings.overflowIdleTimeout().value().toMillis() : 0);
		reader.setPoolName(name(writer, "reader"));
		return reader;
	}

	/**
	 * A pool of read-only connections to the replica named by {@code pool.read.url}.
	 */
	static ManagedHikariDataSource replica(ManagedHikariDataSource primary, JdbcPoolSettings settings, PoolProperties.Read read) {
		int size = count("pool.read.size", read.getSize(), settings.size().value());
		int overflow = count("pool.read.overflow", read.getOverflow(), settings.overflow().value());
		if (size + overflow < 1) {
			throw new PoolConfigurationException("pool.read.size", size,
					"a size of 1 or more when pool.read.overflow is 0",
					"Set pool.read.size to 1 or more, or give pool.read.overflow connections to open on demand.");
		}
		ManagedHikariDataSource replica = sharedSettings(primary);
		primary.getDataSourceProperties().forEach((key, value) -> replica.addDataSourceProperty((String) key, value));
		replica.setJdbcUrl(read.getUrl());
		PropertyMapper map = PropertyMapper.get();
		map.from(read.getUsername()).orFrom(primary::getUsername).to(replica::setUsername);
		map.from(read.getPassword()).orFrom(primary::getPassword).to(replica::setPassword);
		replica.setMinimumIdle(size);
		replica.setMaximumPoolSize(size + overflow);
		replica.setIdleTimeout((overflow > 0) ? settings.overflowIdleTimeout().value().toMillis() : 0);
		replica.setPoolName(name(primary, "read"));
		return replica;
	}

	/**
	 * The settings both pools share, copied one by one (HikariCP's own copyStateTo would
	 * share the data source properties object between the pools).
	 */
	private static ManagedHikariDataSource sharedSettings(ManagedHikariDataSource primary) {
		ManagedHikariDataSource pool = new ManagedHikariDataSource();
		pool.setStrictPrePing(primary.isStrictPrePing());
		pool.setMaxWaiting(primary.getMaxWaiting());
		PropertyMapper map = PropertyMapper.get();
		map.from(primary.getDriverClassName()).to(pool::setDriverClassName);
		map.from(primary.getConnectionTimeout()).to(pool::setConnectionTimeout);
		map.from(primary.getIdleTimeout()).to(pool::setIdleTimeout);
		map.from(primary.getMaxLifetime()).to(pool::setMaxLifetime);
		map.from(primary.getLeakDetectionThreshold()).to(pool::setLeakDetectionThreshold);
		map.from(primary.getValidationTimeout()).to(pool::setValidationTimeout);
		map.from(primary.getKeepaliveTime()).to(pool::setKeepaliveTime);
		map.from(primary.getConnectionTestQuery()).to(pool::setConnectionTestQuery);
		map.from(primary.getConnectionInitSql()).to(pool::setConnectionInitSql);
		map.from(primary.getCatalog()).to(pool::setCatalog);
		map.from(primary.getSchema()).to(pool::setSchema);
		map.from(primary.getTransactionIsolation()).to(pool::setTransactionIsolation);
		map.from(primary.getInitializationFailTimeout()).to(pool::setInitializationFailTimeout);
		map.from(primary.getMetricRegistry()).to(pool::setMetricRegistry);
		pool.setAutoCommit(primary.isAutoCommit());
		pool.setReadOnly(true);
		return pool;
	}

	private static int count(String key, Integer value, int fallback) {
		if (value == null) {
			return fallback;
		}
		if (value < 0) {
			throw new PoolConfigurationException(key, value, "a whole number of connections, 0 or more",
					"Set " + key + " to 0 or more, or remove it to use the primary pool's value.");
		}
		return value;
	}

	/**
	 * The read pool's name: its role, or the primary's name and its role when the user
	 * named the primary pool (HikariCP's generated names are not the user's).
	 */
	private static String name(HikariDataSource primary, String role) {
		String name = primary.getPoolName();
		boolean generated = name == null || name.startsWith(PoolNames.GENERATED_PREFIX);
		return generated ? role : name + "-" + role;
	}

}
