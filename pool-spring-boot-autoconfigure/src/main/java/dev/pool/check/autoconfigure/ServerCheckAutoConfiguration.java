package dev.pool.check.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.autoconfigure.PgBouncerProperties;
import dev.pool.autoconfigure.PoolRootProperties;
import dev.pool.check.ServerChecks;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of the start-up checks of the JDBC pools against their servers:
 * {@code max_connections} and idle timeouts on PostgreSQL, MariaDB and MySQL.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class })
@ConditionalOnClass({ HikariDataSource.class, JdbcTemplate.class, DataSourceAutoConfiguration.class })
@ConditionalOnPoolEnabled
@ConditionalOnBean({ DataSource.class, JdbcPools.class })
@EnableConfigurationProperties(PoolRootProperties.class)
public final class ServerCheckAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServerChecks poolServerChecks() {
		return new ServerChecks();
	}

	@Bean
	@ConditionalOnMissingBean
	ServerCheckStarter poolServerCheckStarter(ServerChecks checks, ListableBeanFactory beanFactory,
			PoolRootProperties properties, Environment environment, ObjectProvider<JdbcPools> pools) {
		// pool.pgbouncer.* belongs to the JDBC pool's keys; the connection math reads it
		// without them.
		PgBouncerProperties pgbouncer = Binder.get(environment)
			.bindOrCreate("pool.pgbouncer", PgBouncerProperties.class);
		return new ServerCheckStarter(checks, () -> beanFactory.getBeansOfType(DataSource.class), properties, pgbouncer,
				pools::getIfAvailable);
	}

}
