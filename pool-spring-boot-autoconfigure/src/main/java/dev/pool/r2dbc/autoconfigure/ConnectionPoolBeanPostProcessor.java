package dev.pool.r2dbc.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.r2dbc.RotatingR2dbcCredentials;
import io.r2dbc.pool.ConnectionPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.core.env.Environment;

/**
 * Applies {@code pool.*} to the {@link ConnectionPool} Spring Boot's R2DBC
 * auto-configuration makes: the pool Spring Boot built (nothing opened yet) is replaced,
 * as soon as it is made, by a {@link ManagedConnectionPool} on the same connection
 * factory with Spring Boot's settings and the starter's. The bean's type stays
 * {@link ConnectionPool}. With no {@code pool.*} key of the R2DBC pool set (and no
 * rotating credentials, see {@link RotatingCredentialsOptionsCustomizer}), the pool is
 * left exactly as Spring Boot made it. A {@code ConnectionPool} bean of the application's
 * own is never changed.
 */
final class ConnectionPoolBeanPostProcessor implements DestructionAwareBeanPostProcessor, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(ConnectionPoolBeanPostProcessor.class);

	/** Where Spring Boot's R2DBC auto-configuration makes its pool. */
	private static final String BOOT_POOL_CONFIGURATION = "org.springframework.boot.r2dbc.autoconfigure."
			+ "ConnectionFactoryConfigurations$PoolConfiguration$PooledConnectionFactoryConfiguration";

	private final Environment environment;

	private final ObjectProvider<R2dbcProperties> properties;

	private final ObjectProvider<R2dbcPoolRegistry> registry;

	private final ObjectProvider<RotatingCredentialsOptionsCustomizer> credentials;

	private final ObjectProvider<R2dbcConnectionGuards> guards;

	/**
	 * The pools made, by the bean name of the pool they replace: Spring closes the bean
	 * it made (Spring Boot's, already disposed), so the starter closes its own.
	 */
	private final Map<String, ManagedConnectionPool> made = new ConcurrentHashMap<>();

	private ConfigurableListableBeanFactory beanFactory;

	ConnectionPoolBeanPostProcessor(Environment environment, ObjectProvider<R2dbcProperties> properties,
			ObjectProvider<R2dbcPoolRegistry> registry,
			ObjectProvider<RotatingCredentialsOptionsCustomizer> credentials,
			ObjectProvider<R2dbcConnectionGuards> guards) {
		this.environment = environment;
		this.properties = properties;
		this.registry = registry;
		this.credentials = credentials;
		this.guards = guards;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = (beanFactory instanceof ConfigurableListableBeanFactory listable) ? listable : null;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		if (!(bean instanceof ConnectionPool pool) || bean instanceof ManagedConnectionPool
				|| !isSpringBootsPool(beanName)) {
			return bean;
		}
		SharedPoolKeys keys = SharedPoolKeys.from(this.environment);
		RotatingCredentialsOptionsCustomizer customizer = this.credentials.getIfAvailable();
		RotatingR2dbcCredentials rotating = (customizer != null) ? customizer.credentials() : null;
		if (!keys.anySet() && rotating == null) {
			return bean;
		}
		BootR2dbcKeys bootKeys = BootR2dbcKeys.from(this.environment);
		R2dbcPoolSettings settings = R2dbcPoolSettings.resolve(keys, bootKeys,
				Runtime.getRuntime().availableProcessors());
		R2dbcProperties boot = this.properties.getIfAvailable(R2dbcProperties::new);
		ManagedConnectionPool managed = ConnectionPoolMapping.create(beanName, pool.unwrap(), settings, boot.getPool(),
				bootKeys, rotating);
		// Spring Boot's pool has opened nothing yet: it was made a moment ago.
		pool.dispose();
		R2dbcConnectionGuards guards = this.guards.getIfAvailable();
		if (guards != null) {
			managed.setGuard(guards.guard(beanName, managed));
		}
		this.made.put(beanName, managed);
		R2dbcPoolRegistry registry = this.registry.getIfAvailable();
		if (registry != null) {
			registry.tuned(beanName, settings);
		}
		logger.info("pool: R2DBC ConnectionPool '" + beanName + "' " + settings.summary());
		return managed;
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return bean instanceof ConnectionPool;
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) throws BeansException {
		ManagedConnectionPool managed = this.made.remove(beanName);
		if (managed != null) {
			managed.dispose();
		}
	}

	private boolean isSpringBootsPool(String beanName) {
		if (this.beanFactory == null || !this.beanFactory.containsBeanDefinition(beanName)) {
			return false;
		}
		BeanDefinition definition = this.beanFactory.getMergedBeanDefinition(beanName);
		return definition instanceof RootBeanDefinition root && root.getResolvedFactoryMethod() != null
				&& BOOT_POOL_CONFIGURATION.equals(root.getResolvedFactoryMethod().getDeclaringClass().getName());
	}

}
