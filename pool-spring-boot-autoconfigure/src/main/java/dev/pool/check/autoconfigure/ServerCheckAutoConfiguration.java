package dev.pool.check.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.check.ServerChecks;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.jdbc.autoconfigure.PoolProperties;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of the start-up checks of the JDBC pools against their servers:
 * {@code max_connections} and idle timeouts on PostgreSQL, MariaDB and MySQL.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class })
@ConditionalOnClass({ HikariDataSource.class, JdbcTemplate.class, DataSourceAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "pool.enabled", matchIfMissing = true)
@ConditionalOnBean({ DataSource.class, PoolProperties.class })
public final class ServerCheckAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServerChecks poolServerChecks() {
		return new ServerChecks();
	}

	@Bean
	@ConditionalOnMissingBean
	ServerCheckStarter poolServerCheckStarter(ServerChecks checks, ListableBeanFactory beanFactory,
			PoolProperties properties) {
		return new ServerCheckStarter(checks, () -> beanFactory.getBeansOfType(DataSource.class), properties);
	}

}
