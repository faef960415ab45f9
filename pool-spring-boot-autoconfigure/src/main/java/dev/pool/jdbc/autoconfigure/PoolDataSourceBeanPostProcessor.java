package dev.pool.jdbc.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.Credentials;
import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.autoconfigure.SpringBootDataSources;
import dev.pool.jdbc.JdbcDataSources;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolCustomizer;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.ReadWriteDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.config.SmartInstantiationAwareBeanPostProcessor;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

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
 * <li>A HikariDataSource bean of the application's own that has not started gets only its
 * {@code pool.datasources.<bean-name>.*} keys: the values its code set stand otherwise.
 * {@code pool.*} does not reach it, as {@code spring.datasource.*} does not. With
 * {@code pool.datasources.<bean-name>.read.url} it becomes a {@link ReadWriteDataSource}
 * over itself and a read pool.</li>
 * <li>A HikariCP pool among the resolved targets of a routing DataSource that is not a
 * bean of its own gets its {@code pool.datasources.<routing-key>.*} keys, once the
 * routing DataSource resolved them and before any pool starts.</li>
 * <li>A started pool, or any other DataSource type, is left alone.</li>
 * </ul>
 * Spring knows each bean's type before it is made ({@link #predictBeanType}): from the
 * environment alone, the same keys that decide the layout ({@code pool.read.url},
 * {@code spring.datasource.url} or {@code spring.datasource.hikari.jdbc-url}, and
 * {@code pool.datasources.<bean-name>.read.url}), so that no bean changes its type once
 * Spring has been told it.
 * <p>
 * Once every singleton exists, a {@code pool.datasources.<name>} that names no DataSource
 * stops start-up, and {@code pool.*} keys set in an application whose only DataSources
 * are its own are named in one WARN with the keys to set instead. Spring closes the bean
 * it created, not its replacement, so the replacement's pools are closed here, readers
 * first, when the context closes.
 */
class PoolDataSourceBeanPostProcessor implements SmartInstantiationAwareBeanPostProcessor,
		DestructionAwareBeanPostProcessor, PriorityOrdered, BeanFactoryAware, SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(PoolDataSourceBeanPostProcessor.class);

	private final ObjectProvider<JdbcPoolSettings> settings;

	private final ObjectProvider<PoolProperties> properties;

	private final ObjectProvider<PoolMetricsTrackerFactory> metrics;

	private final ObjectProvider<JdbcPoolCustomizer> customizers;

	private final ObjectProvider<JdbcPoolRegistry> registry;

	private final ObjectProvider<PoolConnectionGuards> guards;

	private final Environment environment;

	private ConfigurableListableBeanFactory beanFactory;

	/** Every pool tuned or registered here. */
	private final Set<HikariDataSource> seen = Collections
		.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

	/** Spring Boot's DataSource beans, by name. */
	private final Set<String> springBoot = Collections.synchronizedSet(new LinkedHashSet<>());

	/** The application's own pools that no pool.datasources key names. */
	private final Set<String> untuned = Collections.synchronizedSet(new LinkedHashSet<>());

	/** Routing keys of the targets of routing DataSources that are not beans. */
	private final Set<String> routingTargets = Collections.synchronizedSet(new LinkedHashSet<>());

	/**
	 * The environment's answers to the type predictions, read once: the predictions are
	 * asked for while the context starts, many times.
	 */
	private volatile JdbcPoolLayout predictedLayout;

	private volatile Map<String, ReadUrl> predictedReadUrls;

	/** Spring Boot's DataSource as Spring created it, and what replaced it. */
	private final Map<Object, AutoCloseable> replacements = Collections.synchronizedMap(new IdentityHashMap<>());

	PoolDataSourceBeanPostProcessor(ObjectProvider<JdbcPoolSettings> settings,
			ObjectProvider<PoolProperties> properties, ObjectProvider<PoolMetricsTrackerFactory> metrics,
			ObjectProvider<JdbcPoolCustomizer> customizers, ObjectProvider<JdbcPoolRegistry> registry,
			ObjectProvider<PoolConnectionGuards> guards, Environment environment) {
		this.environment = environment;
		this.guards = guards;
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
	public Class<?> predictBeanType(Class<?> beanClass, String beanName) {
		return predictedType(beanClass, beanName);
	}

	@Override
	public Class<?> determineBeanType(Class<?> beanClass, String beanName) {
		Class<?> predicted = predictedType(beanClass, beanName);
		return (predicted != null) ? predicted : beanClass;
	}

	/**
	 * The type a HikariDataSource bean will have: Spring Boot's is a
	 * {@link ManagedHikariDataSource}, or a {@link ReadWriteDataSource} when its layout
	 * has a read pool; the application's own is a {@code ReadWriteDataSource} with
	 * {@code pool.datasources.<bean-name>.read.url}, and keeps its type otherwise.
	 */
	private Class<?> predictedType(Class<?> beanClass, String beanName) {
		if (beanClass == null || !HikariDataSource.class.isAssignableFrom(beanClass)) {
			return null;
		}
		if (isSpringBootDataSource(beanName)) {
			return predictedLayout().hasReadPool() ? ReadWriteDataSource.class : ManagedHikariDataSource.class;
		}
		return (ownReadUrl(beanName) != null) ? ReadWriteDataSource.class : null;
	}

	/**
	 * The layout of Spring Boot's DataSource as the environment gives it. The URL a
	 * {@code JdbcConnectionDetails} bean of a service connection gives is known only once
	 * the DataSource is made; it names a server, never a SQLite file.
	 */
	private JdbcPoolLayout predictedLayout() {
		JdbcPoolLayout layout = this.predictedLayout;
		if (layout == null) {
			layout = layoutFromEnvironment();
			this.predictedLayout = layout;
		}
		return layout;
	}

	private JdbcPoolLayout layoutFromEnvironment() {
		Binder binder = Binder.get(this.environment);
		String url = binder.bind("spring.datasource.hikari.jdbc-url", String.class)
			.orElseGet(() -> binder.bind("spring.datasource.url", String.class).orElse(null));
		return JdbcPoolLayout.of(url, binder.bind("pool.read.url", String.class).orElse(null));
	}

	/**
	 * The {@code pool.datasources.<bean-name>.read.url} of a DataSource of the
	 * application's own, read from the environment (the type is predicted before the
	 * {@code pool.*} properties are bound).
	 */
	private String ownReadUrl(String beanName) {
		Map<String, ReadUrl> datasources = this.predictedReadUrls;
		if (datasources == null) {
			try {
				datasources = Binder.get(this.environment)
					.bind("pool.datasources", Bindable.mapOf(String.class, ReadUrl.class))
					.orElse(Map.of());
			}
			catch (BindException ex) {
				// Reported when the pool.* properties are bound.
				datasources = Map.of();
			}
			this.predictedReadUrls = datasources;
		}
		String key = DataSourceNames.find(datasources.keySet(), beanName);
		return (key != null) ? datasources.get(key).getRead().getUrl() : null;
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
			this.springBoot.add(beanName);
			AutoCloseable replacement = replace(dataSource, beanName);
			this.replacements.put(bean, replacement);
			return replacement;
		}
		if (bean instanceof AbstractRoutingDataSource) {
			tuneRoutingTargets((DataSource) bean, beanName);
		}
		AutoCloseable withReadPool = withReadPool(bean, beanName);
		if (withReadPool != null) {
			this.replacements.put(bean, withReadPool);
			return withReadPool;
		}
		return bean;
	}

	/**
	 * A HikariDataSource bean of the application's own with
	 * {@code pool.datasources.<bean-name>.read.url} becomes a read/write pair: the bean
	 * and a read-only pool beside it.
	 */
	private ReadWriteDataSource withReadPool(Object bean, String beanName) {
		if (!(bean instanceof HikariDataSource pool)) {
			return null;
		}
		PoolProperties properties = this.properties.getObject();
		String key = DataSourceNames.find(properties.getDatasources().keySet(), beanName);
		PoolProperties.Read read = (key != null) ? properties.getDatasources().get(key).getRead() : null;
		if (read == null || read.getUrl() == null) {
			return null;
		}
		JdbcPoolSettings applied = JdbcPoolSettings.forDataSource(key, properties.getDatasources().get(key), properties,
				Runtime.getRuntime().availableProcessors(), Threading.VIRTUAL.isActive(this.environment));
		JdbcPoolSettings readSettings = ReadPools.replicaSettings(JdbcPoolSettings.effective(applied, pool), read);
		ManagedHikariDataSource replica = ReadPools.replica(pool, readSettings, read);
		customizeAndRegister(beanName, JdbcPool.READ, replica, readSettings);
		logger.info("pool: DataSource '" + beanName + "' (your own) has a read pool on pool.datasources." + key
				+ ".read.url: " + Credentials.mask(read.getUrl()) + " " + summary(replica));
		return new ReadWriteDataSource(pool, JdbcPool.PRIMARY, replica, JdbcPool.READ);
	}

	/**
	 * The HikariCP pools a routing DataSource resolved that are not beans (those were
	 * tuned as beans) are the application's own, by routing key.
	 */
	private void tuneRoutingTargets(DataSource routing, String beanName) {
		JdbcDataSources.routingTargets(routing).forEach((key, target) -> {
			if (target instanceof HikariDataSource pool && !this.seen.contains(pool)) {
				this.routingTargets.add(key);
				if (pool.isClosed() || pool.getHikariPoolMXBean() != null) {
					logger.info("pool: target '" + key + "' of routing DataSource '" + beanName
							+ "' has already started; its settings are left as they are");
				}
				else {
					tuneOwnBean(pool, key);
				}
			}
		});
	}

	/**
	 * A HikariDataSource of the application's own gets its
	 * {@code pool.datasources.<name>.*} keys, and the customizers.
	 */
	private void tuneOwnBean(HikariDataSource dataSource, String name) {
		PoolProperties properties = this.properties.getObject();
		String key = DataSourceNames.find(properties.getDatasources().keySet(), name);
		JdbcPoolSettings applied;
		if (key != null) {
			applied = JdbcPoolSettings.forDataSource(key, properties.getDatasources().get(key), properties,
					Runtime.getRuntime().availableProcessors(), Threading.VIRTUAL.isActive(this.environment));
		}
		else {
			applied = this.settings.getObject().forOwnBean();
			this.untuned.add(name);
		}
		HikariConfigMapping.apply(applied, dataSource);
		// Under virtual threads the waiting room follows this pool's own maximum.
		JdbcPoolSettings waiting = applied.withWaitingRoomFor(dataSource.getMaximumPoolSize());
		if (waiting != applied) {
			applied = waiting;
			HikariConfigMapping.apply(applied, dataSource);
		}
		if (!(dataSource instanceof ManagedHikariDataSource) && applied.prePing() != null
				&& applied.prePing().value()) {
			logger.info("pool: " + applied.prePing().key() + " checks every borrow only in the pools the starter "
					+ "makes; DataSource '" + name + "' (your own HikariDataSource) keeps HikariCP's check of "
					+ "connections unused for 500 ms. Build it as a dev.pool.jdbc.ManagedHikariDataSource to have it "
					+ "checked too.");
		}
		customizeAndRegister(name, JdbcPool.PRIMARY, dataSource, applied);
		logger.info("pool: DataSource '" + name + "' (your own: "
				+ ((key != null) ? "pool.datasources." + key + ".* applied) "
						: "left as built; pool.datasources." + name + ".* tunes it) ")
				+ summary(dataSource));
	}

	/**
	 * Spring Boot's DataSource becomes the pools of its layout.
	 */
	private AutoCloseable replace(HikariDataSource dataSource, String beanName) {
		JdbcPoolSettings settings = this.settings.getObject();
		PoolProperties properties = this.properties.getObject();
		JdbcPoolLayout layout = JdbcPoolLayout.of(dataSource.getJdbcUrl(), properties);
		JdbcPoolLayout predicted = predictedLayout();
		if (layout.hasReadPool() != predicted.hasReadPool()) {
			// Spring was told the bean's type from the environment's URL; a
			// JdbcConnectionDetails bean gave another.
			throw new PoolConfigurationException("spring.datasource.url", Credentials.mask(dataSource.getJdbcUrl()),
					"a URL of the same kind as the one the environment gives ("
							+ (predicted.hasReadPool() ? "a SQLite file" : "not a SQLite file")
							+ "): Spring knows the DataSource's type before the JdbcConnectionDetails bean that gave "
							+ "this URL exists",
					"Set spring.datasource.url to the URL the JdbcConnectionDetails bean gives.");
		}
		ManagedHikariDataSource pool = ManagedHikariDataSource.copyOf(dataSource);
		layout.prepare(pool, settings, properties);
		logger.info("pool: DataSource '" + beanName + "' " + layout.description(pool, settings, properties));
		JdbcPoolSettings poolSettings = layout.settings(settings);
		HikariConfigMapping.apply(poolSettings, pool);
		// The read pool copies the application's pool before the customizers run on
		// either.
		Optional<JdbcPoolLayout.ReadPool> read = layout.readPool(pool, settings, properties);
		customizeAndRegister(beanName, layout.role(), pool, poolSettings);
		if (read.isEmpty()) {
			guard(beanName, pool);
			return pool;
		}
		JdbcPoolLayout.ReadPool readPool = read.get();
		customizeAndRegister(beanName, readPool.role(), readPool.dataSource(), readPool.settings());
		guard(beanName + "." + layout.role(), pool);
		guard(beanName + "." + readPool.role(), readPool.dataSource());
		return new ReadWriteDataSource(pool, layout.role(), readPool.dataSource(), readPool.role());
	}

	/**
	 * The guard (the database circuit breaker) of a pool of Spring Boot's DataSource,
	 * unless a customizer set one.
	 */
	private void guard(String name, ManagedHikariDataSource pool) {
		if (pool.getConnectionGuard() == null) {
			PoolConnectionGuards guards = this.guards.getIfAvailable();
			if (guards != null) {
				pool.setConnectionGuard(guards.guard(name, pool));
			}
		}
	}

	/**
	 * The customizers run on a pool that has its {@code pool.*} settings; then the pool
	 * gets a recorder of its own (its statistics, passed on to Micrometer's tracker),
	 * unless the application gave it a tracker or metric registry of its own. HikariCP
	 * names the pool as it starts, as in plain Spring Boot.
	 */
	private void customizeAndRegister(String beanName, String role, HikariDataSource pool, JdbcPoolSettings applied) {
		RotatingCredentialsApplier.apply(this.beanFactory, this.properties.getObject(), beanName, role, pool,
				this.springBoot.contains(beanName));
		Map<String, Object> beforeCustomizers = EffectiveSettings.values(pool);
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(role, pool));
		this.seen.add(pool);
		PoolMetricsTrackerFactory metrics = this.metrics.getIfAvailable();
		JdbcPoolRecorder recorder = (metrics != null && pool.getMetricsTrackerFactory() == null
				&& pool.getMetricRegistry() == null) ? metrics.forPool(pool) : null;
		if (recorder != null) {
			pool.setMetricsTrackerFactory(recorder);
			if (pool instanceof ManagedHikariDataSource managed) {
				managed.setStats(recorder);
			}
		}
		JdbcPoolRegistry registry = this.registry.getIfAvailable();
		if (registry != null) {
			registry.register(beanName, role, pool, EffectiveSettings.of(applied, beforeCustomizers, pool), recorder);
		}
	}

	/**
	 * Check the {@code pool.datasources} names against the DataSources there are, and
	 * name the {@code pool.*} keys that tune nothing.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		PoolProperties properties = this.properties.getIfAvailable();
		if (properties == null || this.beanFactory == null) {
			return;
		}
		Set<String> names = new LinkedHashSet<>(List.of(this.beanFactory.getBeanNamesForType(DataSource.class)));
		names.addAll(this.routingTargets);
		List<String> unresolved = new ArrayList<>();
		for (String name : this.beanFactory.getBeanNamesForType(AbstractRoutingDataSource.class)) {
			if (!this.beanFactory.containsSingleton(name)) {
				unresolved.add(name);
			}
		}
		List<String> unknown = DataSourceNames.check(properties.getDatasources().keySet(), names, this.springBoot,
				!unresolved.isEmpty());
		if (!unknown.isEmpty()) {
			logger.warn("pool: " + unknown.stream().map((key) -> "pool.datasources." + key).toList()
					+ " names no DataSource yet; routing DataSource" + ((unresolved.size() > 1) ? "s " : " ")
					+ unresolved + " not created yet (lazy) may have it as a routing key, and then it applies "
					+ "only if its pool has not started when the routing DataSource is created.");
		}
		if (this.springBoot.isEmpty() && !this.untuned.isEmpty()) {
			List<String> keys = explicitKeys(properties);
			if (!keys.isEmpty()) {
				logger.warn(DataSourceNames.unusedKeys(keys, List.copyOf(this.untuned)));
			}
		}
		else if (this.springBoot.isEmpty() && this.seen.isEmpty() && !names.isEmpty()) {
			List<String> keys = explicitKeys(properties);
			if (!keys.isEmpty()) {
				logger.warn(DataSourceNames.notHikari(keys, List.copyOf(names)));
			}
		}
	}

	/**
	 * The {@code pool.*} keys the user set that tune Spring Boot's DataSource.
	 */
	private List<String> explicitKeys(PoolProperties properties) {
		List<String> keys = new ArrayList<>();
		if (this.environment.containsProperty("pool.profile")) {
			keys.add("pool.profile");
		}
		JdbcPoolSettings settings = this.settings.getIfAvailable();
		if (settings != null) {
			Stream
				.of(settings.size(), settings.overflow(), settings.overflowIdleTimeout(), settings.recycle(),
						settings.acquireTimeout(), settings.leakDetectionThreshold(), settings.prePing(),
						settings.maxWaiting())
				.filter((setting) -> Setting.PROPERTY.equals(setting.source()))
				.forEach((setting) -> keys.add(setting.key()));
		}
		if (properties.getRead().getUrl() != null) {
			keys.add("pool.read.url");
		}
		return keys;
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

	/**
	 * The one key of {@code pool.datasources.<name>.*} that decides a bean's type.
	 */
	public static class ReadUrl {

		private final PoolProperties.Read read = new PoolProperties.Read();

		public PoolProperties.Read getRead() {
			return this.read;
		}

	}

}
