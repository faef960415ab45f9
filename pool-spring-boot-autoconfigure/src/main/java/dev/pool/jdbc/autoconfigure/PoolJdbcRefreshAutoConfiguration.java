package dev.pool.jdbc.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.ConditionalOnPoolEnabled;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Auto-configuration of config refresh for the JDBC pools, when the application has
 * Spring Cloud's refresh ({@code spring-cloud-context}): Spring Cloud's rebinder leaves
 * the pools alone, and the {@code pool.*} keys a running pool can take are applied live
 * (see {@link JdbcPoolRefresher}).
 */
@AutoConfiguration(after = PoolJdbcAutoConfiguration.class)
@ConditionalOnClass(value = { HikariDataSource.class, DataSourceAutoConfiguration.class },
		name = JdbcPoolRefresher.ENVIRONMENT_CHANGE_EVENT)
@ConditionalOnPoolEnabled
public final class PoolJdbcRefreshAutoConfiguration {

	@Bean
	JdbcPoolRefresher poolJdbcRefresher(ConfigurableEnvironment environment,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<JdbcPoolRegistry> registry) {
		return new JdbcPoolRefresher(environment, beanFactory, registry);
	}

}
