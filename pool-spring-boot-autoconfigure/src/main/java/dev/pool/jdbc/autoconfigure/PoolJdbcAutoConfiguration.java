package dev.pool.jdbc.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;

import dev.pool.autoconfigure.PoolProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the JDBC pool: applies {@code pool.*} to the HikariCP DataSource
 * that Spring Boot creates.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, DataSourceAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "pool.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PoolProperties.class)
public final class PoolJdbcAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JdbcPoolSettings poolJdbcSettings(PoolProperties properties, Environment environment) {
		return JdbcPoolSettings.resolve(properties, HikariKeys.from(environment),
				Runtime.getRuntime().availableProcessors());
	}

	@Bean
	static PoolDataSourceBeanPostProcessor poolDataSourceBeanPostProcessor(ObjectProvider<JdbcPoolSettings> settings,
			ObjectProvider<PoolProperties> properties) {
		return new PoolDataSourceBeanPostProcessor(settings, properties);
	}

}
