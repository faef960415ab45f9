package dev.pool.jdbc.autoconfigure;

import java.lang.reflect.Method;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.pool.autoconfigure.Setting;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
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
 */
class PoolDataSourceBeanPostProcessor implements BeanPostProcessor, PriorityOrdered, BeanFactoryAware {

	private static final String BOOT_HIKARI_CONFIGURATION = "org.springframework.boot.jdbc.autoconfigure.DataSourceConfiguration$Hikari";

	private static final Log logger = LogFactory.getLog(PoolDataSourceBeanPostProcessor.class);

	private final ObjectProvider<JdbcPoolSettings> settings;

	private ConfigurableListableBeanFactory beanFactory;

	PoolDataSourceBeanPostProcessor(ObjectProvider<JdbcPoolSettings> settings) {
		this.settings = settings;
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
			boolean bootManaged = isSpringBootDataSource(beanName);
			JdbcPoolSettings settings = this.settings.getObject();
			apply(settings, dataSource, bootManaged);
			logger.info("pool: DataSource '" + beanName + "' " + (bootManaged ? settings.summary()
					: "(your own bean: only explicit pool.* keys applied) " + summary(dataSource)));
		}
		return bean;
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
		map.from(settings.size()).when((s) -> all || s.isExplicit()).as(Setting::value).to(dataSource::setMinimumIdle);
		map.from(settings.overflow()).when((s) -> all || s.isExplicit())
			.as((s) -> kept(dataSource) + s.value())
			.to(dataSource::setMaximumPoolSize);
		map.from(settings.overflowIdleTimeout()).when((s) -> all || s.isExplicit()).as((s) -> s.value().toMillis())
			.to(dataSource::setIdleTimeout);
		map.from(settings.recycle()).when((s) -> all || s.isExplicit()).as((s) -> s.value().toMillis())
			.to(dataSource::setMaxLifetime);
		map.from(settings.acquireTimeout()).when((s) -> all || s.isExplicit()).as((s) -> s.value().toMillis())
			.to(dataSource::setConnectionTimeout);
		map.from(settings.leakDetectionThreshold()).when((s) -> all || s.isExplicit())
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
		HikariPrePing.apply(settings.prePing().value());
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
		if (this.beanFactory == null || !this.beanFactory.containsBeanDefinition(beanName)) {
			return false;
		}
		BeanDefinition definition = this.beanFactory.getMergedBeanDefinition(beanName);
		if (definition instanceof RootBeanDefinition root) {
			Method factoryMethod = root.getResolvedFactoryMethod();
			return factoryMethod != null && BOOT_HIKARI_CONFIGURATION.equals(factoryMethod.getDeclaringClass().getName());
		}
		return false;
	}

	@Override
	public int getOrder() {
		// After ConfigurationPropertiesBindingPostProcessor (spring.datasource.hikari.*) and
		// Spring Boot's JdbcConnectionDetails post-processors (HIGHEST_PRECEDENCE + 2).
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
