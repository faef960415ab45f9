package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.pool.Credentials;
import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.ManagedHikariDataSource;

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
	SINGLE,

	/** A SQLite file: one writer connection and a reader pool. */
	SQLITE_FILE,

	/** An in-memory SQLite database: one connection. */
	SQLITE_IN_MEMORY,

	/** A primary pool and a read-only pool on {@code pool.read.url}. */
	REPLICA;

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
	 * The role of the application's pool: SQLite's writer, or the primary pool.
	 * @return the role
	 */
	String role() {
		return (this == SQLITE_FILE) ? JdbcPool.WRITER : JdbcPool.PRIMARY;
	}

	/**
	 * The role of the read pool beside the application's pool.
	 * @return the role, null when there is no read pool
	 */
	String readRole() {
		return switch (this) {
			case SQLITE_FILE -> JdbcPool.READER;
			case REPLICA -> JdbcPool.READ;
			default -> null;
		};
	}

	/**
	 * The settings of the application's pool: SQLite's writer and in-memory database have
	 * exactly one connection, the latter never recycled.
	 * @param settings the effective {@code pool.*} settings
	 * @return the settings of the application's pool
	 */
	JdbcPoolSettings settings(JdbcPoolSettings settings) {
		return switch (this) {
			case SQLITE_FILE -> settings.withSizes(new Setting<>(1, SQLITE_WRITER, "pool.size"),
					new Setting<>(0, SQLITE_WRITER, "pool.overflow"));
			case SQLITE_IN_MEMORY -> settings
				.withSizes(new Setting<>(1, SQLITE_IN_MEMORY_CONNECTION, "pool.size"),
						new Setting<>(0, SQLITE_IN_MEMORY_CONNECTION, "pool.overflow"))
				.withRecycle(new Setting<>(Duration.ZERO, SQLITE_IN_MEMORY_CONNECTION, "pool.recycle"));
			default -> settings;
		};
	}

	/**
	 * The settings of the read pool: SQLite readers are sized by {@code pool.size} and
	 * {@code pool.overflow}, a replica by {@code pool.read.*} or the primary pool's.
	 * @param settings the effective {@code pool.*} settings
	 * @param properties the {@code pool.*} keys
	 * @return the read pool's settings, null when there is no read pool
	 */
	JdbcPoolSettings readSettings(JdbcPoolSettings settings, PoolProperties properties) {
		return switch (this) {
			case SQLITE_FILE -> settings;
			case REPLICA -> ReadPools.replicaSettings(settings, properties.getRead());
			default -> null;
		};
	}

	/**
	 * Give the application's pool the driver properties of its layout (where the user set
	 * none) and describe the layout for the start-up log.
	 * @param pool the application's pool, not started
	 * @param settings the effective {@code pool.*} settings
	 * @param properties the {@code pool.*} keys
	 * @return the layout in one line, without any credential
	 */
	String prepare(HikariConfig pool, JdbcPoolSettings settings, PoolProperties properties) {
		String layout = switch (this) {
			case SQLITE_FILE -> {
				SqliteSettings sqlite = SqliteSettings.resolve(properties.getSqlite());
				addAbsent(pool, sqlite.writer());
				yield "SQLite: 1 writer connection (journal_mode=" + sqlite.journalMode() + ", busy_timeout="
						+ Durations.format(sqlite.busyTimeout())
						+ ", transactions begin IMMEDIATE) and a reader pool with " + settings.summary();
			}
			case SQLITE_IN_MEMORY -> {
				if (settings.size().isExplicit() || settings.overflow().isExplicit()
						|| settings.recycle().isExplicit()) {
					logger.warn("pool: " + Credentials.mask(pool.getJdbcUrl()) + " is an in-memory SQLite "
							+ "database: it lives only as long as its connection, so the pool keeps exactly one "
							+ "connection and never recycles it; pool.size, pool.overflow and pool.recycle do not "
							+ "apply. Use a file for a pool of readers.");
				}
				addAbsent(pool, SqliteSettings.resolve(properties.getSqlite()).inMemory());
				yield "in-memory SQLite: 1 connection, never recycled";
			}
			case REPLICA -> "primary " + settings.summary() + "; read-only transactions on pool.read.url";
			case SINGLE -> settings.summary();
		};
		if (properties.getPgbouncer().isEnabled()) {
			layout += behindPgBouncer(pool);
		}
		return layout;
	}

	/**
	 * Make the read pool beside the application's pool.
	 * @param pool the application's pool, configured
	 * @param settings the read pool's settings
	 * @param properties the {@code pool.*} keys
	 * @return the read pool, not started, or null when the layout has none
	 */
	ManagedHikariDataSource readPool(ManagedHikariDataSource pool, JdbcPoolSettings settings,
			PoolProperties properties) {
		return switch (this) {
			case SQLITE_FILE -> {
				createDatabaseFile(pool);
				yield ReadPools.sqliteReader(pool, settings);
			}
			case REPLICA -> ReadPools.replica(pool, settings, properties.getRead());
			default -> null;
		};
	}

	/**
	 * PgBouncer in transaction pooling mode hands each transaction to any server
	 * connection, so a statement the PostgreSQL driver prepared on one ("S_1") is missing
	 * on the next.
	 */
	private static String behindPgBouncer(HikariConfig pool) {
		String url = pool.getJdbcUrl();
		if (url == null || !url.startsWith("jdbc:postgresql:")) {
			throw new PoolConfigurationException("pool.pgbouncer.enabled", true,
					"true only with a PostgreSQL URL (jdbc:postgresql://pgbouncer-host:6432/db)",
					"Point spring.datasource.url at PgBouncer, or set pool.pgbouncer.enabled=false.");
		}
		if (!url.contains("prepareThreshold=")) {
			addAbsent(pool, Map.of("prepareThreshold", "0"));
		}
		return "; behind PgBouncer (prepareThreshold="
				+ pool.getDataSourceProperties().getProperty("prepareThreshold", "from the URL") + ")";
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
