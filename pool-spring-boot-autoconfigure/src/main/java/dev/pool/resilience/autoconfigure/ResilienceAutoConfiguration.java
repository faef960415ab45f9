package dev.pool.resilience.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.jdbc.autoconfigure.PoolConnectionGuards;
import dev.pool.resilience.DatabaseCircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of the database circuit breaker: callers fail at once with
 * {@code DatabaseUnavailableException} while the database keeps refusing connections,
 * instead of each waiting {@code pool.acquire-timeout}; web applications answer 503.
 */
@AutoConfiguration
@ConditionalOnClass({ CircuitBreaker.class, HikariDataSource.class, JdbcTemplate.class,
		DataSourceAutoConfiguration.class })
@ConditionalOnPoolEnabled
@ConditionalOnBooleanProperty(name = "pool.resilience.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ResilienceProperties.class)
@Import(DatabaseCircuitBreakersConfiguration.class)
public final class ResilienceAutoConfiguration {

	/**
	 * A circuit breaker inside each pool of Spring Boot's DataSource, put there as the
	 * pool is made. The bean keeps its type: a single pool stays a
	 * {@code ManagedHikariDataSource}, whose breaker is named after the bean
	 * ({@code dataSource}); the write and read pools of a {@code ReadWriteDataSource} get
	 * one each ({@code dataSource.writer}, {@code dataSource.reader}). A DataSource bean
	 * of the application's own is left alone.
	 */
	@Bean
	PoolConnectionGuards poolCircuitBreakerGuards(ObjectProvider<DatabaseCircuitBreakers> circuitBreakers) {
		return (name, pool) -> circuitBreakers.getObject().create(name, pool);
	}

}
