package dev.pool.resilience.autoconfigure;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.r2dbc.autoconfigure.R2dbcConnectionGuards;
import dev.pool.resilience.DatabaseCircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the database circuit breaker of the R2DBC pool the starter makes
 * (a {@code ManagedConnectionPool}): acquisitions fail at once with
 * {@code DatabaseUnavailableException} while the database keeps refusing connections;
 * WebFlux applications answer 503. The breaker is named after the pool's bean
 * ({@code connectionFactory}) and shares {@code pool.resilience.*} and the breakers'
 * meters with the JDBC pools'. Only an application with an R2DBC connection factory gets
 * it.
 */
@AutoConfiguration(after = { ResilienceAutoConfiguration.class, R2dbcAutoConfiguration.class })
@ConditionalOnClass({ CircuitBreaker.class, ConnectionPool.class, R2dbcAutoConfiguration.class })
@ConditionalOnBean(ConnectionFactory.class)
@ConditionalOnPoolEnabled
@ConditionalOnBooleanProperty(name = "pool.resilience.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ResilienceProperties.class)
@Import(DatabaseCircuitBreakersConfiguration.class)
public final class ResilienceR2dbcAutoConfiguration {

	@Bean
	R2dbcConnectionGuards poolR2dbcCircuitBreakerGuards(ObjectProvider<DatabaseCircuitBreakers> circuitBreakers) {
		return (name, pool) -> new R2dbcCircuitBreakerGuard(circuitBreakers.getObject().create(name));
	}

}
