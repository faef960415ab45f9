package dev.pool.r2dbc.autoconfigure;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.r2dbc.R2dbcPools;
import io.r2dbc.pool.ConnectionPool;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the R2DBC pool: applies {@code pool.*} to the r2dbc-pool
 * {@link ConnectionPool} that Spring Boot's R2DBC auto-configuration makes, gives its
 * connection factory the rotating credentials of {@code pool.credentials.*}, and
 * describes every R2DBC pool in {@link R2dbcPools}.
 */
@AutoConfiguration(before = R2dbcAutoConfiguration.class)
@ConditionalOnClass({ ConnectionPool.class, R2dbcAutoConfiguration.class })
@ConditionalOnPoolEnabled
public final class PoolR2dbcAutoConfiguration {

	@Bean
	static ConnectionPoolBeanPostProcessor poolConnectionPoolBeanPostProcessor(Environment environment,
			ObjectProvider<R2dbcProperties> properties, ObjectProvider<R2dbcPoolRegistry> registry,
			ObjectProvider<RotatingCredentialsOptionsCustomizer> credentials,
			ObjectProvider<R2dbcConnectionGuards> guards) {
		return new ConnectionPoolBeanPostProcessor(environment, properties, registry, credentials, guards);
	}

	@Bean
	RotatingCredentialsOptionsCustomizer poolR2dbcCredentialsCustomizer(Environment environment,
			ListableBeanFactory beanFactory) {
		return new RotatingCredentialsOptionsCustomizer(environment, beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean(R2dbcPools.class)
	R2dbcPoolRegistry poolR2dbcPools(ListableBeanFactory beanFactory) {
		return new R2dbcPoolRegistry(beanFactory);
	}

}
