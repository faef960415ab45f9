package dev.pool.autoconfigure;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * Tells Spring Boot's auto-configured HikariCP DataSource from a DataSource bean of the
 * application's own: the starter changes only the former freely.
 */
public final class SpringBootDataSources {

	private static final String BOOT_HIKARI_CONFIGURATION = "org.springframework.boot.jdbc.autoconfigure.DataSourceConfiguration$Hikari";

	private SpringBootDataSources() {
	}

	/**
	 * Whether a bean is the DataSource Spring Boot's {@code DataSourceAutoConfiguration}
	 * made with HikariCP.
	 * @param beanFactory the bean factory, or null
	 * @param beanName the bean's name
	 * @return true for Spring Boot's HikariDataSource
	 */
	public static boolean isAutoConfiguredHikari(@Nullable ConfigurableListableBeanFactory beanFactory,
			String beanName) {
		if (beanFactory == null || !beanFactory.containsBeanDefinition(beanName)) {
			return false;
		}
		BeanDefinition definition = beanFactory.getMergedBeanDefinition(beanName);
		Method factoryMethod = (definition instanceof RootBeanDefinition root) ? root.getResolvedFactoryMethod() : null;
		return factoryMethod != null && BOOT_HIKARI_CONFIGURATION.equals(factoryMethod.getDeclaringClass().getName());
	}

}
