package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import dev.pool.Credentials;
import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.ManagedHikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanCreationException;

/**
 * How the application's DataSource is laid out: which pools it has, their roles, the
 * sizes the layout fixes, and the driver properties it needs. Spring Boot's DataSource
 * becomes one pool, a SQLite file's one writer connection and reader pool, an in-memory
 * SQLite database's one connection, or a primary pool and a read-only pool on
 * {@code pool.read.url}; with {@code pool.pgbouncer.enabled}, any of them goes without
 * server-side prepared statements.
 */
enum JdbcPoolLayout {

	/** One pool. */
	SINGLE {

		@Override
		String describe(HikariConfig pool, JdbcPoolSettings settings, PoolProperties properties) {
			return settings.summary();
		}

	},

	/** A SQLite file: one writer connection and a reader pool. */
	SQLITE_FILE {

		@Override
		boolean hasReadPool() {
			return true;
		}

		@Override
		String role() {
			return JdbcPool.WRITER;
		}

		@Override
		JdbcPoolSettings settings(JdbcPoolSettings settings) {
			return settings.withSizes(new Setting<>(1, SQLITE_WRITER, "pool.size"),
					new Setting<>(0, SQLITE_WRITER, "pool.overflow"));
		}

		@Override
		void prepareLayout(HikariConfig pool, JdbcPoolSettings settings, PoolProperties properties) {
			addAbsent(pool, SqliteSettings.resolve(properties.getSqlite()).writer());
		}

		@Override
		String describe(HikariConfig pool, JdbcPoolSettings settings, PoolProperties properties) {
			SqliteSettings sqlite = SqliteSettings.resolve(properties.getSqlite());
			return "SQLite: 1 writer connection (journal_mode=" + sqlite.journalMode() + ", busy_timeout="
					+ Durations.format(sqlite.busyTimeout()) + ", transactions begin IMMEDIATE) and a reader pool with "
					+ settings.summary();
		}

		@Override
		Optional<JdbcPoolSettings> readSettings(JdbcPoolSettings settings, PoolProperties properties) {
			return Optional.of(settings);
		}

		@Override
		Optional<ReadPool> readPool(ManagedHikariDataSource pool, JdbcPoolSettings settings,
				PoolProperties properties) {
			createDatabaseFile(pool);
			return Optional.of(new ReadPool(JdbcPool.READER, settings, ReadPools.sqliteReader(pool, settings)));
		}

	},

	/** An in-memory SQLite database: one connection. */
	SQLITE_IN_MEMORY {

		@Override
		JdbcPoolSettings settings(JdbcPoolSettings settings) {
			return settings
				.withSizes(new Setting<>(1, SQLITE_IN_MEMORY_CONNECTION, "pool.size"),
						new Setting<>(0, SQLITE_IN_MEMORY_CONNECTION, "pool.overflow"))
				.withRecycle(new Setting<>(Duration.ZERO, SQLITE_IN_MEMORY_CONNECTION, "pool.recycle"));
		}

		@Override
		void prepareLayout(HikariConfig pool, JdbcPoolSettings settings, PoolProperties properties) {
			if (settings.size().isExplicit() || settings.overflow().isExplicit() || settings.recycle().isExplicit()) {
				logger.warn("pool: " + Credentials.mask(pool.getJdbcUrl()) + " is an in-memory SQLite "
						+ "database: it lives only as long as its connection, so the pool keeps exactly one "
						+ "connection and never recycles it; pool.size, pool.overflow and pool.recycle do not "
						+ "apply. Use a file for a pool of readers.");
			}
			addAbsent(pool, SqliteSettings.resolve(properties.getSqlite()).inMemory());
		}

		@Override
		String describe(HikariConfig pool, JdbcPoolSettings settings, PoolProperties properties) {
			return "in-memory SQLite: 1 connection, never recycled";
		}

	},

	/** A primary pool and a read-only pool on {@code pool.read.url}. */
	REPLICA {

		@Override
		boolean hasReadPool() {
			return true;
		}

		@Override
		String describe(HikariConfig pool, JdbcPoolSettings settings, PoolProperties properties) {
			return "primary " + settings.summary() + "; read-only transactions on pool.read.url";
		}

		@Override
		Optional<JdbcPoolSettings> readSettings(JdbcPoolSettings settings, PoolProperties properties) {
			return Optional.of(ReadPools.replicaSettings(settings, properties.getRead()));
		}

		@Override
		Optional<ReadPool> readPool(ManagedHikariDataSource pool, JdbcPoolSettings settings,
				PoolProperties properties) {
			JdbcPoolSettings read = ReadPools.replicaSettings(settings, properties.getRead());
			return Optional.of(new ReadPool(JdbcPool.READ, read, ReadPools.replica(pool, read, properties.getRead())));
		}

	};

	private static final Log logger = LogFactory.getLog(JdbcPoolLayout.class);

	private static final String SQLITE_WRITER = "sqlite: one writer connection";

	private static final String SQLITE_IN_MEMORY_CONNECTION = "sqlite in-memory: one connection, never recycled";

	/**
	 * The layout of Spring Boot's DataSource.
	 * @param url its JDBC URL
	 * @param properties the {@code pool.*} keys
	 * @return its layout
	 */
	static JdbcPoolLayout of(String url, PoolProperties properties) {
		return of(url, properties.getRead().getUrl());
	}

	/**
	 * The layout of Spring Boot's DataSource.
	 * @param url its JDBC URL
	 * @param readUrl the read pool's URL ({@code pool.read.url}), or null
	 * @return its layout
	 */
	static JdbcPoolLayout of(String url, String readUrl) {
		if (readUrl != null) {
			return REPLICA;
		}
		if (SqliteSettings.isSqlite(url)) {
			return SqliteSettings.isInMemory(url) ? SQLITE_IN_MEMORY : SQLITE_FILE;
		}
		return SINGLE;
	}

	/**
	 * Whether the layout has a read pool beside the application's pool (SQLite's readers,
	 * a replica): the DataSource bean is then a {@code ReadWriteDataSource}.
	 * @return true with a read pool
	 */
	boolean hasReadPool() {
		return false;
	}

	/**
	 * The role of the application's pool: SQLite's writer, or the primary pool.
	 * @return the role
	 */
	String role() {
		return JdbcPool.PRIMARY;
	}

	/**
	 * The settings of the application's pool: SQLite's writer and in-memory database have
	 * exactly one connection, the latter never recycled.
	 * @param settings the effective {@code pool.*} settings
	 * @return the settings of the application's pool
	 */
	JdbcPoolSettings settings(JdbcPoolSettings settings) {
		return settings;
	}

	/**
	 * Give the application's pool the driver properties of its layout, where the user set
	 * none: SQLite's PRAGMAs, and no server-side prepared statements behind PgBouncer.
	 * @param pool the application's pool, not started
	 * @param settings the effective {@code pool.*} settings
	 * @param properties the {@code pool.*} keys
	 */
	final void prepare(HikariConfig pool, JdbcPoolSettings settings, PoolProperties properties) {
		prepareLayout(pool, settings, properties);
		if (properties.getPgbouncer().isEnabled()) {
			prepareForPgBouncer(pool);
		}
	}

	/**
	 * Give the application's pool the driver properties this layout needs.
	 * @param pool the application's pool, not started
	 * @param settings the effective {@code pool.*} settings
	 * @param properties the {@code pool.*} keys
	 */
	void prepareLayout(HikariConfig pool, JdbcPoolSettings settings, PoolProperties properties) {
	}

	/**
	 * The layout in one line for the start-up log, without any credential.
	 * @param pool the application's pool, {@link #prepare prepared}
	 * @param settings the effective {@code pool.*} settings
	 * @param properties the {@code pool.*} keys
	 * @return the layout in one line
	 */
	final String description(HikariConfig pool, JdbcPoolSettings settings, PoolProperties properties) {
		String layout = describe(pool, settings, properties);
		if (properties.getPgbouncer().isEnabled()) {
			return layout + "; behind PgBouncer (prepareThreshold="
					+ pool.getDataSourceProperties().getProperty("prepareThreshold", "from the URL") + ")";
		}
		return layout;
	}

	/**
	 * This layout in one line, without PgBouncer.
	 * @param pool the application's pool, {@link #prepare prepared}
	 * @param settings the effective {@code pool.*} settings
	 * @param properties the {@code pool.*} keys
	 * @return the layout in one line
	 */
	abstract String describe(HikariConfig pool, JdbcPoolSettings settings, PoolProperties properties);

	/**
	 * The settings of the read pool: SQLite readers are sized by {@code pool.size} and
	 * {@code pool.overflow}, a replica by {@code pool.read.*} or the primary pool's.
	 * @param settings the effective {@code pool.*} settings
	 * @param properties the {@code pool.*} keys
	 * @return the read pool's settings, empty when the layout has no read pool
	 */
	Optional<JdbcPoolSettings> readSettings(JdbcPoolSettings settings, PoolProperties properties) {
		return Optional.empty();
	}

	/**
	 * Make the read pool beside the application's pool.
	 * @param pool the application's pool, configured
	 * @param settings the effective {@code pool.*} settings
	 * @param properties the {@code pool.*} keys
	 * @return the read pool, not started, empty when the layout has none
	 */
	Optional<ReadPool> readPool(ManagedHikariDataSource pool, JdbcPoolSettings settings, PoolProperties properties) {
		return Optional.empty();
	}

	/**
	 * The read pool beside the application's pool.
	 *
	 * @param role its role
	 * @param settings its settings
	 * @param dataSource the pool, not started
	 */
	record ReadPool(String role, JdbcPoolSettings settings, ManagedHikariDataSource dataSource) {
	}

	/**
	 * PgBouncer in transaction pooling mode hands each transaction to any server
	 * connection, so a statement the PostgreSQL driver prepared on one ("S_1") is missing
	 * on the next.
	 */
	private static void prepareForPgBouncer(HikariConfig pool) {
		String url = pool.getJdbcUrl();
		if (url == null || !url.startsWith("jdbc:postgresql:")) {
			throw new PoolConfigurationException("pool.pgbouncer.enabled", true,
					"true only with a PostgreSQL URL (jdbc:postgresql://pgbouncer-host:6432/db)",
					"Point spring.datasource.url at PgBouncer, or set pool.pgbouncer.enabled=false.");
		}
		if (!url.contains("prepareThreshold=")) {
			addAbsent(pool, Map.of("prepareThreshold", "0"));
		}
	}

	/**
	 * Open the file once with the writer's settings, so it exists (and is in WAL mode)
	 * before a read-only connection, which cannot create it, is opened. A plain driver
	 * connection, so that no pool starts while the DataSource bean is being created.
	 */
	private static void createDatabaseFile(HikariConfig writer) {
		Properties properties = new Properties();
		properties.putAll(writer.getDataSourceProperties());
		try (Connection connection = DriverManager.getConnection(writer.getJdbcUrl(), properties)) {
			// Opening is enough: sqlite-jdbc applies the PRAGMAs on connect.
		}
		catch (SQLException ex) {
			throw new BeanCreationException(
					"Cannot open the SQLite database " + Credentials.mask(writer.getJdbcUrl()) + ": " + ex.getMessage(),
					ex);
		}
	}

	private static void addAbsent(HikariConfig pool, Map<String, String> properties) {
		properties.forEach((key, value) -> {
			if (!pool.getDataSourceProperties().containsKey(key)) {
				pool.addDataSourceProperty(key, value);
			}
		});
	}

}
