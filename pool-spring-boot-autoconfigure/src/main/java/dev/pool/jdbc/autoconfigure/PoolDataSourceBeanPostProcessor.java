package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.pool.Credentials;
import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.autoconfigure.PoolProperties;
import dev.pool.autoconfigure.SpringBootDataSources;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.ReadWriteDataSource;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;

/**
 * Applies the {@code pool.*} settings to a {@link HikariDataSource} before its pool starts
 * (HikariCP seals its configuration once started).
 * <ul>
 * <li>Spring Boot's auto-configured DataSource gets every setting: profile, {@code pool.*}
 * keys, and the user's explicit {@code spring.datasource.hikari.*} keys where they win.</li>
 * <li>A HikariDataSource bean of the user's own that has not started gets only the
 * {@code pool.*} keys set explicitly: the values its code set stand otherwise.</li>
 * <li>A started pool, or any other DataSource type, is left alone.</li>
 * </ul>
 * Spring Boot's DataSource is then replaced by a {@link ManagedHikariDataSource} with the same
 * configuration (still a {@code HikariDataSource}; strict pre-ping scoped to it), or, for a
 * SQLite file or {@code pool.read.url}, by a {@link ReadWriteDataSource} over two of them.
 * Spring closes the bean it created, not its replacement, so the replacement's pools are
 * closed here, readers first, when the context closes.
 */
class PoolDataSourceBeanPostProcessor
		implements DestructionAwareBeanPostProcessor, PriorityOrdered, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(PoolDataSourceBeanPostProcessor.class);

	private final ObjectProvider<JdbcPoolSettings> settings;

	private final ObjectProvider<PoolProperties> properties;

	private final ObjectProvider<PoolMetricsTrackerFactory> metrics;

	private ConfigurableListableBeanFactory beanFactory;

	/** Spring Boot's DataSource as Spring created it, and what replaced it. */
	private final Map<Object, AutoCloseable> replacements = Collections.synchronizedMap(new IdentityHashMap<>());

	PoolDataSourceBeanPostProcessor(ObjectProvider<JdbcPoolSettings> settings,
			ObjectProvider<PoolProperties> properties, ObjectProvider<PoolMetricsTrackerFactory> metrics) {
		this.settings = settings;
		this.properties = properties;
		this.metrics = metrics;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
			this.beanFactory = listable;
		}
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof HikariDataSource dataSource) {
			if (dataSource.isClosed() || dataSource.getHikariPoolMXBean() != null) {
				logger.info("pool: DataSource '" + beanName + "' has already started; its settings are left as they are");
				return bean;
			}
			JdbcPoolSettings settings = this.settings.getObject();
			if (!isSpringBootDataSource(beanName)) {
				track(dataSource);
				apply(settings, dataSource, false);
				if (dataSource instanceof ManagedHikariDataSource managed) {
					if (settings.prePing().isExplicit()) {
						managed.setStrictPrePing(settings.prePing().value());
					}
					if (settings.maxWaiting().value() != null) {
						managed.setMaxWaiting(settings.maxWaiting().value());
					}
				}
				else if (settings.prePing().isExplicit() && settings.prePing().value()) {
					logger.info("pool: pool.pre-ping checks every borrow only in the pools the starter makes; DataSource '"
							+ beanName + "' (your own HikariDataSource) keeps HikariCP's check of connections unused for "
							+ "500 ms. Build it as a dev.pool.jdbc.ManagedHikariDataSource to have it checked too.");
				}
				logger.info("pool: DataSource '" + beanName + "' (your own bean: only explicit pool.* keys applied) "
						+ summary(dataSource));
				return bean;
			}
			apply(settings, dataSource, true);
			Layout layoutOf = Layout.of(dataSource, this.properties.getObject());
			String layout = switch (layoutOf) {
				case SQLITE_FILE -> sqliteWriter(dataSource);
				case SQLITE_IN_MEMORY -> sqliteInMemory(dataSource, settings);
				case REPLICA -> "primary " + settings.summary() + "; read-only transactions on pool.read.url";
				case SINGLE -> settings.summary();
			};
			if (this.properties.getObject().getPgbouncer().isEnabled()) {
				layout += behindPgBouncer(dataSource);
			}
			logger.info("pool: DataSource '" + beanName + "' " + layout);
		}
		return bean;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof HikariDataSource dataSource && dataSource.getHikariPoolMXBean() == null
				&& !dataSource.isClosed() && isSpringBootDataSource(beanName)) {
			PoolProperties properties = this.properties.getObject();
			JdbcPoolSettings settings = this.settings.getObject();
			ManagedHikariDataSource pool = ManagedHikariDataSource.copyOf(dataSource);
			pool.setStrictPrePing(settings.prePing().value());
			pool.setMaxWaiting((settings.maxWaiting().value() != null) ? settings.maxWaiting().value() : -1);
			track(pool);
			AutoCloseable replacement = switch (Layout.of(dataSource, properties)) {
				case SQLITE_FILE -> {
					createDatabaseFile(pool);
					yield new ReadWriteDataSource(pool, "writer", track(ReadPools.sqliteReader(pool, settings)),
							"reader");
				}
				case REPLICA -> new ReadWriteDataSource(pool, JdbcPool.PRIMARY,
						track(ReadPools.replica(pool, settings, properties.getRead())), "read");
				default -> pool;
			};
			this.replacements.put(bean, replacement);
			return replacement;
		}
		return bean;
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return this.replacements.containsKey(bean);
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) throws BeansException {
		AutoCloseable replacement = this.replacements.remove(bean);
		if (replacement != null) {
			try {
				// A ReadWriteDataSource closes its read pool, then its write pool.
				replacement.close();
			}
			catch (Exception ex) {
				logger.warn("pool: closing DataSource '" + beanName + "' failed: " + Credentials.mask(ex.getMessage()));
			}
		}
	}

	/**
	 * Give a pool that has not started the starter's statistics (passed on to Micrometer's
	 * tracker) and the name HikariCP would give it, so that meters, health and the
	 * {@code pools} endpoint know it by that name before it starts.
	 */
	private <T extends HikariDataSource> T track(T pool) {
		PoolNames.nameIfUnnamed(pool);
		if (pool.getMetricsTrackerFactory() == null && pool.getMetricRegistry() == null) {
			this.metrics.ifAvailable((factory) -> pool.setMetricsTrackerFactory(factory.forPool(pool)));
		}
		return pool;
	}

	/**
	 * SQLite allows one writer at a time: the application's pool becomes the one writer
	 * connection, and readers get their own pool.
	 */
	private String sqliteWriter(HikariDataSource dataSource) {
		SqliteSettings sqlite = SqliteSettings.resolve(this.properties.getObject().getSqlite());
		addAbsent(dataSource, sqlite.writer());
		dataSource.setMinimumIdle(1);
		dataSource.setMaximumPoolSize(1);
		dataSource.setIdleTimeout(0);
		return "SQLite: 1 writer connection (journal_mode=" + sqlite.journalMode() + ", busy_timeout="
				+ Durations.format(sqlite.busyTimeout()) + ", transactions begin IMMEDIATE) and a reader pool with "
				+ this.settings.getObject().summary();
	}

	/**
	 * An in-memory SQLite database lives as long as a connection to it, and each plain
	 * {@code :memory:} connection has a database of its own: one connection, never recycled.
	 */
	private String sqliteInMemory(HikariDataSource dataSource, JdbcPoolSettings settings) {
		if (settings.size().isExplicit() || settings.overflow().isExplicit() || settings.recycle().isExplicit()) {
			logger.warn("pool: " + Credentials.mask(dataSource.getJdbcUrl()) + " is an in-memory SQLite "
					+ "database: it lives only as long as its connection, so the pool keeps exactly one connection "
					+ "and never recycles it; pool.size, pool.overflow and pool.recycle do not apply. Use a file "
					+ "for a pool of readers.");
		}
		addAbsent(dataSource, SqliteSettings.resolve(this.properties.getObject().getSqlite()).inMemory());
		dataSource.setMinimumIdle(1);
		dataSource.setMaximumPoolSize(1);
		dataSource.setIdleTimeout(0);
		dataSource.setMaxLifetime(0);
		return "in-memory SQLite: 1 connection, never recycled";
	}

	/**
	 * PgBouncer in transaction pooling mode hands each transaction to any server connection,
	 * so a statement the PostgreSQL driver prepared on one ("S_1") is missing on the next.
	 */
	private static String behindPgBouncer(HikariDataSource dataSource) {
		String url = dataSource.getJdbcUrl();
		if (url == null || !url.startsWith("jdbc:postgresql:")) {
			throw new PoolConfigurationException("pool.pgbouncer.enabled", true,
					"true only with a PostgreSQL URL (jdbc:postgresql://pgbouncer-host:6432/db)",
					"Point spring.datasource.url at PgBouncer, or set pool.pgbouncer.enabled=false.");
		}
		if (!url.contains("prepareThreshold=")) {
			addAbsent(dataSource, Map.of("prepareThreshold", "0"));
		}
		return "; behind PgBouncer (prepareThreshold="
				+ dataSource.getDataSourceProperties().getProperty("prepareThreshold", "from the URL") + ")";
	}

	/**
	 * Open the file once with the writer's settings, so it exists (and is in WAL mode)
	 * before a read-only connection, which cannot create it, is opened. A plain driver
	 * connection, so that no pool starts while the DataSource bean is being created.
	 */
	private static void createDatabaseFile(HikariDataSource writer) {
		Properties properties = new Properties();
		properties.putAll(writer.getDataSourceProperties());
		try (Connection connection = DriverManager.getConnection(writer.getJdbcUrl(), properties)) {
			// Opening is enough: sqlite-jdbc applies the PRAGMAs on connect.
		}
		catch (SQLException ex) {
			throw new BeanCreationException("Cannot open the SQLite database " + Credentials.mask(writer.getJdbcUrl()) + ": "
					+ ex.getMessage(), ex);
		}
	}

	private static void addAbsent(HikariDataSource dataSource, Map<String, String> properties) {
		properties.forEach((key, value) -> {
			if (!dataSource.getDataSourceProperties().containsKey(key)) {
				dataSource.addDataSourceProperty(key, value);
			}
		});
	}

	/**
	 * The one mapping from the starter's settings to HikariCP's.
	 * @param settings the effective settings
	 * @param dataSource a HikariDataSource that has not started
	 * @param all whether every setting applies (Spring Boot's DataSource) or only those the
	 * user set explicitly (a DataSource bean of the user's own)
	 */
	static void apply(JdbcPoolSettings settings, HikariDataSource dataSource, boolean all) {
		PropertyMapper map = PropertyMapper.get();
		map.from(settings.size()).when((s) -> all || Setting.PROPERTY.equals(s.source())).as(Setting::value).to(dataSource::setMinimumIdle);
		map.from(settings.overflow()).when((s) -> all || Setting.PROPERTY.equals(s.source()))
			.as((s) -> kept(dataSource) + s.value())
			.to(dataSource::setMaximumPoolSize);
		map.from(settings.overflowIdleTimeout()).when((s) -> all || Setting.PROPERTY.equals(s.source())).as((s) -> s.value().toMillis())
			.to(dataSource::setIdleTimeout);
		map.from(settings.recycle()).when((s) -> all || Setting.PROPERTY.equals(s.source())).as((s) -> s.value().toMillis())
			.to(dataSource::setMaxLifetime);
		map.from(settings.acquireTimeout()).when((s) -> all || Setting.PROPERTY.equals(s.source())).as((s) -> s.value().toMillis())
			.to(dataSource::setConnectionTimeout);
		map.from(settings.leakDetectionThreshold()).when((s) -> all || Setting.PROPERTY.equals(s.source()))
			.as((s) -> s.value().toMillis())
			.to(dataSource::setLeakDetectionThreshold);
		if (dataSource.getMinimumIdle() > dataSource.getMaximumPoolSize()) {
			// Only a user's own bean gets here (pool.size set, pool.overflow not): HikariCP
			// would lower the size silently, so the maximum rises to it instead.
			dataSource.setMaximumPoolSize(dataSource.getMinimumIdle());
		}
		if (all && settings.overflow().value() == 0) {
			// A fixed-size pool closes no idle connection; HikariCP warns if a timeout is set.
			dataSource.setIdleTimeout(0);
		}
	}

	/**
	 * Connections the pool keeps: HikariCP's minimumIdle, which is -1 (as many as the
	 * maximum) until set.
	 */
	private static int kept(HikariDataSource dataSource) {
		int minimumIdle = dataSource.getMinimumIdle();
		return (minimumIdle >= 0) ? minimumIdle : dataSource.getMaximumPoolSize();
	}

	private static String summary(HikariDataSource dataSource) {
		return "minimumIdle=" + dataSource.getMinimumIdle() + " maximumPoolSize=" + dataSource.getMaximumPoolSize()
				+ " maxLifetime=" + dataSource.getMaxLifetime() + "ms connectionTimeout="
				+ dataSource.getConnectionTimeout() + "ms";
	}

	private boolean isSpringBootDataSource(String beanName) {
		return SpringBootDataSources.isAutoConfiguredHikari(this.beanFactory, beanName);
	}

	/**
	 * How the application's DataSource is laid out.
	 */
	enum Layout {

		/** One pool. */
		SINGLE,

		/** A SQLite file: one writer connection and a reader pool. */
		SQLITE_FILE,

		/** An in-memory SQLite database: one connection. */
		SQLITE_IN_MEMORY,

		/** A primary pool and a read-only pool on {@code pool.read.url}. */
		REPLICA;

		static Layout of(HikariDataSource dataSource, PoolProperties properties) {
			if (properties.getRead().getUrl() != null) {
				return REPLICA;
			}
			String url = dataSource.getJdbcUrl();
			if (SqliteSettings.isSqlite(url)) {
				return SqliteSettings.isInMemory(url) ? SQLITE_IN_MEMORY : SQLITE_FILE;
			}
			return SINGLE;
		}

	}

	@Override
	public int getOrder() {
		// After ConfigurationPropertiesBindingPostProcessor (spring.datasource.hikari.*) and
		// Spring Boot's JdbcConnectionDetails post-processors (HIGHEST_PRECEDENCE + 2).
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
