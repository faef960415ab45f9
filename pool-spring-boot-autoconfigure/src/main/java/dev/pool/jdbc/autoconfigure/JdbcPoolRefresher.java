package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.Credentials;
import dev.pool.Durations;
import dev.pool.Setting;
import dev.pool.autoconfigure.SpringBootDataSources;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolDescription;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Applies a config refresh (Spring Cloud's {@code EnvironmentChangeEvent}: after
 * {@code /actuator/refresh}, a config server or a Kubernetes config map reload) to the
 * running JDBC pools, as far as HikariCP allows on a running pool:
 * <ul>
 * <li>the {@code pool.*} keys HikariCP can change on a running pool (its
 * {@code HikariConfigMXBean}: {@code size}, {@code overflow},
 * {@code overflow-idle-timeout}, {@code recycle}, {@code acquire-timeout},
 * {@code leak-detection-threshold}) and the starter's {@code max-waiting} are re-resolved
 * as at start-up and applied to each pool where they changed, with one INFO line saying
 * what changed;</li>
 * <li>keys that need a new pool (a URL, credentials, {@code pre-ping}, any
 * {@code spring.datasource.*} key, including the {@code spring.datasource.hikari.*} keys
 * that overlap {@code pool.*}) are named in a WARN, and left for a restart;</li>
 * <li>a refresh whose values are not valid is a WARN with the reason, and changes
 * nothing.</li>
 * </ul>
 * Spring Cloud's own rebinder is kept off the pools by
 * {@link NeverRefreshablePropertySource}. No refresh fails, makes a pool, or changes a
 * value the configuration did not change (a customizer's, for one).
 * <p>
 * Spring Cloud is not a dependency of the starter: the event is matched by its class
 * name, and only the environment is read.
 */
final class JdbcPoolRefresher implements GenericApplicationListener, SmartInitializingSingleton {

	static final String ENVIRONMENT_CHANGE_EVENT = "org.springframework.cloud.context.environment.EnvironmentChangeEvent";

	private static final Log logger = LogFactory.getLog(JdbcPoolRefresher.class);

	private final ConfigurableEnvironment environment;

	private final ConfigurableListableBeanFactory beanFactory;

	private final ObjectProvider<JdbcPoolRegistry> registry;

	private final Class<?> eventType;

	private final NeverRefreshablePropertySource neverRefreshable;

	private volatile Set<String> hikariBeanNames = Set.of();

	/** What each pool was given: a refresh applies only what differs from it. */
	private final Map<HikariDataSource, JdbcPoolSettings> applied = new IdentityHashMap<>();

	private RestartOnlyKeys restartOnlyKeys;

	JdbcPoolRefresher(ConfigurableEnvironment environment, ConfigurableListableBeanFactory beanFactory,
			ObjectProvider<JdbcPoolRegistry> registry) {
		this.environment = environment;
		this.beanFactory = beanFactory;
		this.registry = registry;
		this.eventType = ClassUtils.resolveClassName(ENVIRONMENT_CHANGE_EVENT, beanFactory.getBeanClassLoader());
		this.neverRefreshable = new NeverRefreshablePropertySource(environment, () -> this.hikariBeanNames);
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.hikariBeanNames = Collections.unmodifiableSet(new LinkedHashSet<>(
				List.of(this.beanFactory.getBeanNamesForType(HikariDataSource.class, false, false))));
		this.neverRefreshable.install();
		synchronized (this) {
			this.restartOnlyKeys = RestartOnlyKeys.of(this.environment);
			try {
				Resolved resolved = resolve();
				for (JdbcPoolDescription pool : pools()) {
					this.applied.put(pool.dataSource(), resolved.forPool(pool));
				}
			}
			catch (RuntimeException ex) {
				// The pools were built with these values a moment ago; a refresh applies
				// every live key then.
				logger.debug("pool: the JDBC settings could not be resolved for config refresh", ex);
			}
		}
	}

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		return this.eventType.isAssignableFrom(eventType.toClass());
	}

	@Override
	public int getOrder() {
		// Before Spring Cloud's rebinder, so that a failure there leaves the pools
		// refreshed.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			logger.warn("pool: config refresh not applied to the JDBC pools (they keep their settings): "
					+ Credentials.mask(String.valueOf(ex.getMessage())));
		}
	}

	/**
	 * Apply the environment as it is now to the running pools.
	 */
	synchronized void refresh() {
		this.neverRefreshable.install();
		RestartOnlyKeys restartOnlyKeys = RestartOnlyKeys.of(this.environment);
		List<String> restartOnly = (this.restartOnlyKeys != null) ? restartOnlyKeys.changedSince(this.restartOnlyKeys)
				: List.of();
		this.restartOnlyKeys = restartOnlyKeys;
		if (!restartOnly.isEmpty()) {
			logger.warn("pool: config refresh: " + String.join(", ", restartOnly)
					+ " changed, and a running JDBC pool cannot take " + ((restartOnly.size() > 1) ? "them" : "it")
					+ ": restart to apply");
		}
		Resolved resolved = resolve();
		List<String> changes = new ArrayList<>();
		List<String> failures = new ArrayList<>();
		for (JdbcPoolDescription pool : pools()) {
			try {
				JdbcPoolSettings now = resolved.forPool(pool);
				String change = apply(pool, this.applied.get(pool.dataSource()), now);
				this.applied.put(pool.dataSource(), now);
				if (change != null) {
					changes.add(change);
				}
			}
			catch (RuntimeException ex) {
				failures.add("pool '" + pool.dataSource().getPoolName() + "': "
						+ Credentials.mask(String.valueOf(ex.getMessage())));
			}
		}
		if (!changes.isEmpty()) {
			logger.info("pool: config refresh applied to the running JDBC pools: " + String.join("; ", changes));
		}
		if (!failures.isEmpty()) {
			logger.warn("pool: config refresh not applied to " + String.join("; ", failures));
		}
	}

	/**
	 * Apply the live keys that changed since the pool was last given its settings.
	 * @return what changed on the pool, or null when nothing did
	 */
	private @Nullable String apply(JdbcPoolDescription pool, JdbcPoolSettings before, JdbcPoolSettings now) {
		HikariDataSource dataSource = pool.dataSource();
		Map<JdbcPoolKey<?>, Setting<?>> live = new LinkedHashMap<>();
		for (JdbcPoolKey<?> key : JdbcPoolKey.ALL) {
			Setting<?> setting = key.isLive() ? now.get(key) : null;
			Setting<?> previous = (before != null) ? before.get(key) : null;
			if (setting != null && !isHikari(setting) && !isHikari(previous)
					&& (previous == null || !Objects.equals(setting.value(), previous.value()))) {
				live.put(key, setting);
			}
		}
		if (live.containsKey(JdbcPoolKey.SIZE) && now.overflow() != null && !isHikari(now.overflow())) {
			// The maximum is size + overflow: a new size moves it.
			live.putIfAbsent(JdbcPoolKey.OVERFLOW, now.overflow());
		}
		if (live.isEmpty()) {
			return null;
		}
		Map<String, Setting<?>> changed = new LinkedHashMap<>();
		live.forEach((key, setting) -> changed.put(key.name(), setting));
		Map<String, Object> old = EffectiveSettings.values(dataSource);
		HikariConfigMapping.apply(new JdbcPoolSettings(now.profile(), live), dataSource);
		Map<String, Object> current = EffectiveSettings.values(dataSource);
		List<String> differences = new ArrayList<>();
		Map<String, Setting<?>> registered = new LinkedHashMap<>();
		current.forEach((key, value) -> {
			if (!Objects.equals(value, old.get(key))) {
				differences.add("pool." + key + " " + format(old.get(key)) + " \u2192 " + format(value));
				Setting<?> setting = changed.get(key);
				registered.put(key, new Setting<>(value, (setting != null) ? setting.source() : Setting.PROPERTY,
						(setting != null) ? setting.key() : "pool." + key));
			}
		});
		this.registry.ifAvailable((registry) -> registry.update(dataSource, registered));
		if (differences.isEmpty()) {
			return null;
		}
		return "pool '" + dataSource.getPoolName() + "' (DataSource '" + pool.beanName() + "', " + pool.role() + "): "
				+ String.join(", ", differences);
	}

	private static boolean isHikari(Setting<?> setting) {
		return setting != null && Setting.HIKARI.equals(setting.source());
	}

	private static String format(Object value) {
		if (value == null) {
			return "unset";
		}
		return (value instanceof Duration duration) ? Durations.format(duration) : String.valueOf(value);
	}

	private List<JdbcPoolDescription> pools() {
		JdbcPoolRegistry registry = this.registry.getIfAvailable();
		return (registry != null) ? registry.describe() : List.of();
	}

	/**
	 * The settings as start-up would resolve them from the environment as it is now,
	 * validated the same way.
	 */
	private Resolved resolve() {
		PoolProperties properties = Binder.get(this.environment)
			.bindOrCreate("pool", Bindable.of(PoolProperties.class));
		JdbcPoolSettings settings = JdbcPoolSettings.resolve(properties, HikariKeys.from(this.environment),
				Runtime.getRuntime().availableProcessors(), Threading.VIRTUAL.isActive(this.environment));
		return new Resolved(settings, properties);
	}

	/**
	 * The settings resolved from the environment, and the {@code pool.*} keys.
	 */
	private final class Resolved {

		private final JdbcPoolSettings settings;

		private final PoolProperties properties;

		Resolved(JdbcPoolSettings settings, PoolProperties properties) {
			this.settings = settings;
			this.properties = properties;
		}

		/**
		 * The settings a pool gets, as {@link PoolDataSourceBeanPostProcessor} gives them
		 * when it builds or tunes it: Spring Boot's DataSource by its layout (known from
		 * the pool's role), a DataSource of the application's own only what applies to
		 * it.
		 */
		JdbcPoolSettings forPool(JdbcPoolDescription pool) {
			if (pool.beanName() == null || !SpringBootDataSources
				.isAutoConfiguredHikari(JdbcPoolRefresher.this.beanFactory, pool.beanName())) {
				// A pool of the application's own takes its pool.datasources.<name>.*
				// keys;
				// the read pool beside one keeps what it has.
				String key = (pool.beanName() != null)
						? DataSourceNames.find(this.properties.getDatasources().keySet(), pool.beanName()) : null;
				if (key == null || !JdbcPool.PRIMARY.equals(pool.role())) {
					return this.settings.forOwnBean();
				}
				return JdbcPoolSettings.forDataSource(key, this.properties.getDatasources().get(key), this.properties,
						Runtime.getRuntime().availableProcessors(),
						Threading.VIRTUAL.isActive(JdbcPoolRefresher.this.environment));
			}
			JdbcPoolLayout layout = switch (pool.role()) {
				case JdbcPool.WRITER, JdbcPool.READER -> JdbcPoolLayout.SQLITE_FILE;
				case JdbcPool.READ -> JdbcPoolLayout.REPLICA;
				default -> (SqliteSettings.isSqlite(pool.dataSource().getJdbcUrl())
						&& SqliteSettings.isInMemory(pool.dataSource().getJdbcUrl())) ? JdbcPoolLayout.SQLITE_IN_MEMORY
								: JdbcPoolLayout.SINGLE;
			};
			return pool.role().equals(layout.role()) ? layout.settings(this.settings)
					: layout.readSettings(this.settings, this.properties).orElseThrow();
		}

	}

}
