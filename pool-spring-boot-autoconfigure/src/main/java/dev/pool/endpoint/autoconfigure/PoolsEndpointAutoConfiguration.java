package dev.pool.endpoint.autoconfigure;

import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.check.ServerChecks;
import dev.pool.check.autoconfigure.ServerCheckAutoConfiguration;
import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.http.HttpPoolDescription;
import dev.pool.http.autoconfigure.HttpPoolObservations;
import dev.pool.http.autoconfigure.PoolHttpAutoConfiguration;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.r2dbc.R2dbcPools;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code pools} actuator endpoint, exposed like any actuator
 * endpoint ({@code management.endpoints.web.exposure.include=pools}).
 */
@AutoConfiguration(
		after = { PoolJdbcAutoConfiguration.class, ServerCheckAutoConfiguration.class,
				PoolHttpAutoConfiguration.class },
		afterName = "dev.pool.r2dbc.autoconfigure.PoolR2dbcAutoConfiguration")
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnPoolEnabled
@ConditionalOnAvailableEndpoint(PoolsEndpoint.class)
public final class PoolsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PoolsEndpoint poolsEndpoint(ListableBeanFactory beanFactory, ObjectProvider<JdbcPools> jdbc,
			ObjectProvider<ServerChecks> checks, ObjectProvider<HttpPoolObservations> http,
			ObjectProvider<R2dbcPools> r2dbc) {
		HttpPoolObservations observations = http.getIfAvailable();
		Supplier<List<HttpPoolDescription>> httpPools = (observations != null) ? observations::describe : null;
		R2dbcPools r2dbcPools = r2dbc.getIfAvailable();
		return new PoolsEndpoint(() -> beanFactory.getBeansOfType(DataSource.class), jdbc.getIfAvailable(),
				checks.getIfAvailable(), httpPools, (r2dbcPools != null) ? r2dbcPools::describe : null);
	}

}
