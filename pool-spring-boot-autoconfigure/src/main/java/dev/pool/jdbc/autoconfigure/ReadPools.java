package dev.pool.jdbc.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.ManagedHikariDataSource;

import org.springframework.boot.context.properties.PropertyMapper;

/**
 * Makes the read pool that sits beside the application's pool: SQLite readers over the
 * same file, or a replica named by {@code pool.read.url}. It shares the primary pool's
 * timeouts, recycling and driver settings, and opens its connections read-only.
 */
final class ReadPools {

	/** How HikariCP's generated pool names start: such a name is not the user's. */
	private static final String HIKARI_GENERATED_PREFIX = "HikariPool-";

	private ReadPools() {
	}

	/**
	 * A pool of read-only connections to the writer's SQLite file, sized by
	 * {@code pool.size} and {@code pool.overflow}.
	 * @param writer the writer pool, configured
	 * @param settings the reader pool's settings
	 * @return the reader pool, not started
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
		HikariConfigMapping.apply(settings, reader);
		reader.setPoolName(name(writer, JdbcPool.READER));
		return reader;
	}

	/**
	 * The settings of the replica's pool: {@code pool.read.size} and
	 * {@code pool.read.overflow}, or the primary pool's.
	 * @param settings the primary pool's settings
	 * @param read the {@code pool.read.*} keys
	 * @return the replica pool's settings
	 */
	static JdbcPoolSettings replicaSettings(JdbcPoolSettings settings, PoolProperties.Read read) {
		Setting<Integer> size = count("pool.read.size", read.getSize(), settings.size());
		Setting<Integer> overflow = count("pool.read.overflow", read.getOverflow(), settings.overflow());
		if (size.value() + overflow.value() < 1) {
			throw new PoolConfigurationException("pool.read.size", size.value(),
					"a size of 1 or more when pool.read.overflow is 0",
					"Set pool.read.size to 1 or more, or give pool.read.overflow connections to open on demand.");
		}
		return settings.withSizes(size, overflow);
	}

	/**
	 * A pool of read-only connections to the replica named by {@code pool.read.url}.
	 * @param primary the primary pool, configured
	 * @param settings the replica pool's settings
	 * @param read the {@code pool.read.*} keys
	 * @return the replica pool, not started
	 */
	static ManagedHikariDataSource replica(HikariDataSource primary, JdbcPoolSettings settings,
			PoolProperties.Read read) {
		ManagedHikariDataSource replica = sharedSettings(primary);
		primary.getDataSourceProperties().forEach((key, value) -> replica.addDataSourceProperty((String) key, value));
		replica.setJdbcUrl(read.getUrl());
		PropertyMapper map = PropertyMapper.get();
		map.from(read.getUsername()).orFrom(primary::getUsername).to(replica::setUsername);
		map.from(read.getPassword()).orFrom(primary::getPassword).to(replica::setPassword);
		HikariConfigMapping.apply(settings, replica);
		replica.setPoolName(name(primary, JdbcPool.READ));
		return replica;
	}

	/**
	 * The HikariCP settings both pools share that {@code pool.*} does not set (those come
	 * from {@link HikariConfigMapping}), copied one by one (HikariCP's own copyStateTo
	 * would share the data source properties object between the pools).
	 */
	private static ManagedHikariDataSource sharedSettings(HikariDataSource primary) {
		ManagedHikariDataSource pool = new ManagedHikariDataSource();
		PropertyMapper map = PropertyMapper.get();
		map.from(primary.getDriverClassName()).to(pool::setDriverClassName);
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

	private static Setting<Integer> count(String key, Integer value, Setting<Integer> fallback) {
		if (value == null) {
			return fallback;
		}
		if (value < 0) {
			throw new PoolConfigurationException(key, value, "a whole number of connections, 0 or more",
					"Set " + key + " to 0 or more, or remove it to use the primary pool's value.");
		}
		return Setting.property(key, value);
	}

	/**
	 * The read pool's name: its role, or the primary's name and its role when the user
	 * named the primary pool (HikariCP's generated names are not the user's).
	 */
	private static String name(HikariDataSource primary, String role) {
		String name = primary.getPoolName();
		boolean generated = name == null || name.startsWith(HIKARI_GENERATED_PREFIX);
		return generated ? role : name + "-" + role;
	}

}
