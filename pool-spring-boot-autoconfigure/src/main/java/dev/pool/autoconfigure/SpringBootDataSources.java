package dev.pool.autoconfigure;

import java.lang.reflect.Method;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;

/**
 * Tells Spring Boot's auto-configured HikariCP DataSource from a DataSource bean of the
 * application's own: the starter changes only the former freely. Spring Boot's is the
 * HikariDataSource made by a factory method of Spring Boot's JDBC auto-configuration
 * package, the package of its public {@link DataSourceAutoConfiguration}: no class of
 * Spring Boot's is named (the configuration that makes it is package-private), and no
 * configuration of the application's own lives there.
 */
public final class SpringBootDataSources {

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
		return factoryMethod != null && isAutoConfiguredHikari(factoryMethod);
	}

	/**
	 * Whether a factory method is the one Spring Boot makes its HikariDataSource with.
	 * @param factoryMethod a {@code @Bean} method
	 * @return true for a method of Spring Boot's JDBC auto-configuration that returns a
	 * HikariDataSource
	 */
	static boolean isAutoConfiguredHikari(Method factoryMethod) {
		return HikariDataSource.class.isAssignableFrom(factoryMethod.getReturnType())
				&& DataSourceAutoConfiguration.class.getPackageName()
					.equals(factoryMethod.getDeclaringClass().getPackageName());
	}

}
