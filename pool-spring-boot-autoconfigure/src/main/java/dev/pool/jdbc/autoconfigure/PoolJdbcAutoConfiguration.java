package dev.pool.jdbc.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.autoconfigure.PoolRootProperties;
import dev.pool.jdbc.JdbcPoolCustomizer;
import dev.pool.jdbc.JdbcPools;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of the JDBC pool: applies {@code pool.*} and the
 * {@link JdbcPoolCustomizer} beans to the HikariCP DataSource that Spring Boot creates,
 * {@code pool.datasources.<name>.*} to the application's own HikariDataSource beans (and
 * the HikariCP targets of a routing DataSource), and describes every pool in
 * {@link JdbcPools}.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, JdbcTemplate.class, DataSourceAutoConfiguration.class })
@ConditionalOnPoolEnabled
@EnableConfigurationProperties({ PoolRootProperties.class, PoolProperties.class })
public final class PoolJdbcAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JdbcPoolSettings poolJdbcSettings(PoolProperties properties, Environment environment) {
		return JdbcPoolSettings.resolve(properties, HikariKeys.from(environment),
				Runtime.getRuntime().availableProcessors(), Threading.VIRTUAL.isActive(environment));
	}

	@Bean
	static PoolDataSourceBeanPostProcessor poolDataSourceBeanPostProcessor(ObjectProvider<JdbcPoolSettings> settings,
			ObjectProvider<PoolProperties> properties, ObjectProvider<PoolMetricsTrackerFactory> metrics,
			ObjectProvider<JdbcPoolCustomizer> customizers, ObjectProvider<JdbcPoolRegistry> pools,
			ObjectProvider<PoolConnectionGuards> guards, Environment environment) {
		return new PoolDataSourceBeanPostProcessor(settings, properties, metrics, customizers, pools, guards,
				environment);
	}

	@Bean
	@ConditionalOnMissingBean(JdbcPools.class)
	JdbcPoolRegistry poolJdbcPools(JdbcPoolSettings settings) {
		return new JdbcPoolRegistry(settings.profile().id());
	}

	@Bean
	JdbcPoolLifecycle poolJdbcLifecycle(ObjectProvider<JdbcPoolRegistry> pools,
			ConfigurableApplicationContext context) {
		return new JdbcPoolLifecycle(pools, context);
	}

	@Bean
	CredentialsWatcher poolCredentialsWatcher() {
		return new CredentialsWatcher();
	}

	@Bean
	@ConditionalOnMissingBean
	PoolMetricsTrackerFactory poolMetricsTrackerFactory(ObjectProvider<HikariMicrometerTracking> micrometer) {
		return new PoolMetricsTrackerFactory(() -> micrometer.getIfAvailable(() -> () -> null).get());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MeterRegistry.class, MicrometerMetricsTrackerFactory.class })
	static class MicrometerTrackingConfiguration {

		@Bean
		HikariMicrometerTracking poolHikariMicrometerTracking(ObjectProvider<MeterRegistry> registry) {
			return () -> {
				MeterRegistry meterRegistry = registry.getIfUnique();
				return (meterRegistry != null) ? new MicrometerTracking(meterRegistry) : null;
			};
		}

	}

	/**
	 * Supplies Micrometer's HikariCP tracker, when Micrometer is there, so that the
	 * {@code hikaricp.*} meters stay on behind the starter's own tracker.
	 */
	@FunctionalInterface
	interface HikariMicrometerTracking {

		MetricsTrackerFactory get();

	}

}
