package dev.pool.jdbc.autoconfigure;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.pool.Credentials;
import dev.pool.autoconfigure.SpringBootDataSources;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolCustomizer;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.ReadWriteDataSource;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;

/**
 * Applies the {@code pool.*} settings to a {@link HikariDataSource} before its pool
 * starts (HikariCP seals its configuration once started), then the
 * {@link JdbcPoolCustomizer} beans, and registers each pool in {@link JdbcPoolRegistry}.
 * <ul>
 * <li>Spring Boot's auto-configured DataSource gets every setting (profile,
 * {@code pool.*} keys, and the user's explicit {@code spring.datasource.hikari.*} keys
 * where they win) and is replaced, as its {@link JdbcPoolLayout} says, by a
 * {@link ManagedHikariDataSource} with the same configuration (still a
 * {@code HikariDataSource}; strict pre-ping scoped to it), or by a
 * {@link ReadWriteDataSource} over two of them.</li>
 * <li>A HikariDataSource bean of the user's own that has not started gets only the
 * {@code pool.*} keys set explicitly: the values its code set stand otherwise.</li>
 * <li>A started pool, or any other DataSource type, is left alone.</li>
 * </ul>
 * Spring closes the bean it created, not its replacement, so the replacement's pools are
 * closed here, readers first, when the context closes.
 */
class PoolDataSourceBeanPostProcessor implements DestructionAwareBeanPostProcessor, PriorityOrdered, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(PoolDataSourceBeanPostProcessor.class);

	private final ObjectProvider<JdbcPoolSettings> settings;

	private final ObjectProvider<PoolProperties> properties;

	private final ObjectProvider<PoolMetricsTrackerFactory> metrics;

	private final ObjectProvider<JdbcPoolCustomizer> customizers;

	private final ObjectProvider<JdbcPoolRegistry> registry;

	private ConfigurableListableBeanFactory beanFactory;

	/** Spring Boot's DataSource as Spring created it, and what replaced it. */
	private final Map<Object, AutoCloseable> replacements = Collections.synchronizedMap(new IdentityHashMap<>());

	PoolDataSourceBeanPostProcessor(ObjectProvider<JdbcPoolSettings> settings,
			ObjectProvider<PoolProperties> properties, ObjectProvider<PoolMetricsTrackerFactory> metrics,
			ObjectProvider<JdbcPoolCustomizer> customizers, ObjectProvider<JdbcPoolRegistry> registry) {
		this.settings = settings;
		this.properties = properties;
		this.metrics = metrics;
		this.customizers = customizers;
		this.registry = registry;
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
				logger
					.info("pool: DataSource '" + beanName + "' has already started; its settings are left as they are");
			}
			else if (!isSpringBootDataSource(beanName)) {
				tuneOwnBean(dataSource, beanName);
			}
		}
		return bean;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof HikariDataSource dataSource && dataSource.getHikariPoolMXBean() == null
				&& !dataSource.isClosed() && isSpringBootDataSource(beanName)) {
			AutoCloseable replacement = replace(dataSource, beanName);
			this.replacements.put(bean, replacement);
			return replacement;
		}
		return bean;
	}

	/**
	 * A HikariDataSource bean of the user's own gets the {@code pool.*} keys the user
	 * set, and the customizers.
	 */
	private void tuneOwnBean(HikariDataSource dataSource, String beanName) {
		JdbcPoolSettings settings = this.settings.getObject();
		JdbcPoolSettings applied = settings.forOwnBean();
		HikariConfigMapping.apply(applied, dataSource);
		if (!(dataSource instanceof ManagedHikariDataSource) && settings.prePing().isExplicit()
				&& settings.prePing().value()) {
			logger.info("pool: pool.pre-ping checks every borrow only in the pools the starter makes; DataSource '"
					+ beanName + "' (your own HikariDataSource) keeps HikariCP's check of connections unused for "
					+ "500 ms. Build it as a dev.pool.jdbc.ManagedHikariDataSource to have it checked too.");
		}
		customizeAndRegister(beanName, JdbcPool.PRIMARY, dataSource, applied);
		logger.info("pool: DataSource '" + beanName + "' (your own bean: only explicit pool.* keys applied) "
				+ summary(dataSource));
	}

	/**
	 * Spring Boot's DataSource becomes the pools of its layout.
	 */
	private AutoCloseable replace(HikariDataSource dataSource, String beanName) {
		JdbcPoolSettings settings = this.settings.getObject();
		PoolProperties properties = this.properties.getObject();
		JdbcPoolLayout layout = JdbcPoolLayout.of(dataSource.getJdbcUrl(), properties);
		ManagedHikariDataSource pool = ManagedHikariDataSource.copyOf(dataSource);
		logger.info("pool: DataSource '" + beanName + "' " + layout.prepare(pool, settings, properties));
		JdbcPoolSettings poolSettings = layout.settings(settings);
		HikariConfigMapping.apply(poolSettings, pool);
		// The read pool copies the application's pool before the customizers run on
		// either.
		JdbcPoolSettings readSettings = layout.readSettings(settings, properties);
		ManagedHikariDataSource read = (readSettings != null) ? layout.readPool(pool, readSettings, properties) : null;
		customizeAndRegister(beanName, layout.role(), pool, poolSettings);
		if (read == null) {
			return pool;
		}
		customizeAndRegister(beanName, layout.readRole(), read, readSettings);
		return new ReadWriteDataSource(pool, layout.role(), read, layout.readRole());
	}

	/**
	 * The customizers run on a pool that has its {@code pool.*} settings; then the pool
	 * gets the starter's statistics (passed on to Micrometer's tracker) and the name
	 * HikariCP would give it, so that meters, health and the {@code pools} endpoint know
	 * it by that name before it starts.
	 */
	private void customizeAndRegister(String beanName, String role, HikariDataSource pool, JdbcPoolSettings applied) {
		Map<String, Object> beforeCustomizers = EffectiveSettings.values(pool);
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(role, pool));
		PoolNames.nameIfUnnamed(pool);
		if (pool.getMetricsTrackerFactory() == null && pool.getMetricRegistry() == null) {
			this.metrics.ifAvailable((factory) -> pool.setMetricsTrackerFactory(factory.forPool(pool)));
		}
		this.registry.ifAvailable((registry) -> registry.register(beanName, role, pool,
				EffectiveSettings.of(applied, beforeCustomizers, pool)));
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

	private static String summary(HikariDataSource dataSource) {
		return "minimumIdle=" + dataSource.getMinimumIdle() + " maximumPoolSize=" + dataSource.getMaximumPoolSize()
				+ " maxLifetime=" + dataSource.getMaxLifetime() + "ms connectionTimeout="
				+ dataSource.getConnectionTimeout() + "ms";
	}

	private boolean isSpringBootDataSource(String beanName) {
		return SpringBootDataSources.isAutoConfiguredHikari(this.beanFactory, beanName);
	}

	@Override
	public int getOrder() {
		// After ConfigurationPropertiesBindingPostProcessor (spring.datasource.hikari.*)
		// and
		// Spring Boot's JdbcConnectionDetails post-processors (HIGHEST_PRECEDENCE + 2).
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
