package dev.pool.resilience.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;

import dev.pool.autoconfigure.SpringBootDataSources;
import dev.pool.jdbc.ReadWriteDataSource;
import dev.pool.resilience.CircuitBreakerDataSource;
import dev.pool.resilience.DatabaseCircuitBreakers;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;

/**
 * Puts a circuit breaker in front of each pool of Spring Boot's DataSource, once the JDBC
 * pool's own post-processor (order {@code HIGHEST_PRECEDENCE + 10}) has made it:
 * <ul>
 * <li>a {@link HikariDataSource} becomes a {@link CircuitBreakerDataSource} around it (the
 * bean's type changes; {@code unwrap} still reaches the pool);</li>
 * <li>a {@link ReadWriteDataSource} stays the bean, and its write and read pools each get
 * a breaker of their own ({@code dataSource.writer}, {@code dataSource.reader}), since it
 * takes physical connections only at the first statement.</li>
 * </ul>
 * A DataSource bean of the application's own is left alone.
 */
class CircuitBreakerDataSourceBeanPostProcessor implements BeanPostProcessor, PriorityOrdered {

	private final ObjectProvider<DatabaseCircuitBreakers> circuitBreakers;

	private final ConfigurableListableBeanFactory beanFactory;

	CircuitBreakerDataSourceBeanPostProcessor(ObjectProvider<DatabaseCircuitBreakers> circuitBreakers,
			ConfigurableListableBeanFactory beanFactory) {
		this.circuitBreakers = circuitBreakers;
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof ReadWriteDataSource pair && !(pair.getTargetDataSource() instanceof CircuitBreakerDataSource)) {
			DatabaseCircuitBreakers breakers = this.circuitBreakers.getObject();
			pair.setTargetDataSource(breakers.wrap(beanName + "." + pair.getWriteName(), pair.getWritePool()));
			pair.setReadOnlyDataSource(breakers.wrap(beanName + "." + pair.getReadName(), pair.getReadPool()));
			return pair;
		}
		if (bean instanceof HikariDataSource pool
				&& SpringBootDataSources.isAutoConfiguredHikari(this.beanFactory, beanName)) {
			return this.circuitBreakers.getObject().wrap(beanName, pool);
		}
		return bean;
	}

	@Override
	public int getOrder() {
		// After PoolDataSourceBeanPostProcessor (HIGHEST_PRECEDENCE + 10), which may replace
		// Spring Boot's DataSource with a ReadWriteDataSource.
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

}
