package dev.pool.resilience.autoconfigure;

import dev.pool.autoconfigure.SpringBootDataSources;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.resilience.DatabaseCircuitBreakers;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;

/**
 * Puts a circuit breaker inside each pool of Spring Boot's DataSource, once the JDBC
 * pool's own post-processor (order {@code HIGHEST_PRECEDENCE + 10}) has made it. The bean
 * keeps its type: a single pool stays a {@code HikariDataSource}
 * ({@link ManagedHikariDataSource}), whose breaker is named after the bean
 * ({@code dataSource}); the write and read pools of a {@link ReadWriteDataSource} get one
 * each ({@code dataSource.writer}, {@code dataSource.reader}). A DataSource bean of the
 * application's own is left alone.
 */
class PoolCircuitBreakerBeanPostProcessor implements BeanPostProcessor, PriorityOrdered {

	private final ObjectProvider<DatabaseCircuitBreakers> circuitBreakers;

	private final ConfigurableListableBeanFactory beanFactory;

	PoolCircuitBreakerBeanPostProcessor(ObjectProvider<DatabaseCircuitBreakers> circuitBreakers,
			ConfigurableListableBeanFactory beanFactory) {
		this.circuitBreakers = circuitBreakers;
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (!SpringBootDataSources.isAutoConfiguredHikari(this.beanFactory, beanName)) {
			return bean;
		}
		if (bean instanceof ReadWriteDataSource pair) {
			guard(beanName + "." + pair.getWriteName(), pair.getWritePool());
			guard(beanName + "." + pair.getReadName(), pair.getReadPool());
		}
		else if (bean instanceof ManagedHikariDataSource pool) {
			guard(beanName, pool);
		}
		return bean;
	}

	private void guard(String name, Object pool) {
		if (pool instanceof ManagedHikariDataSource managed && managed.getConnectionGuard() == null) {
			managed.setConnectionGuard(this.circuitBreakers.getObject().create(name, managed));
		}
	}

	@Override
	public int getOrder() {
		// After PoolDataSourceBeanPostProcessor (HIGHEST_PRECEDENCE + 10), which makes
		// the
		// starter's pools.
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

}
