package dev.pool.r2dbc.autoconfigure;

import java.time.Duration;

import dev.pool.Setting;
import dev.pool.r2dbc.ManagedConnectionPool;
import dev.pool.r2dbc.RotatingR2dbcCredentials;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;

/**
 * The one mapping from the starter's settings to r2dbc-pool's, a row per setting, on top
 * of Spring Boot's own mapping of the {@code spring.r2dbc.pool.*} keys that
 * {@code pool.*} does not cover.
 */
final class ConnectionPoolMapping {

	/**
	 * HikariCP's housekeeping period: the longest between two checks of idle connections.
	 */
	private static final Duration MAX_EVICTION_INTERVAL = Duration.ofSeconds(30);

	private ConnectionPoolMapping() {
	}

	/**
	 * Build the pool.
	 * @param name the pool's bean name
	 * @param factory the connection factory that Spring Boot made (with its options and
	 * decorators)
	 * @param settings the starter's settings
	 * @param boot the values of Spring Boot's {@code spring.r2dbc.pool.*}
	 * @param bootKeys which of them the user set
	 * @param credentials the credentials of new connections when they rotate, or null
	 * @return the pool
	 */
	static ManagedConnectionPool create(String name, ConnectionFactory factory, R2dbcPoolSettings settings,
			R2dbcProperties.Pool boot, BootR2dbcKeys bootKeys, @Nullable RotatingR2dbcCredentials credentials) {
		ConnectionPoolConfiguration.Builder builder = ConnectionPoolConfiguration
			.builder((credentials != null) ? credentials.watch(factory) : factory);
		PropertyMapper map = PropertyMapper.get();
		// Spring Boot's keys that pool.* does not cover, as Spring Boot maps them.
		map.from(boot.getValidationQuery()).whenHasText().to(builder::validationQuery);
		map.from(boot.getMaxCreateConnectionTime())
			.orFrom(() -> settings.acquireTimeout().value())
			.to(builder::maxCreateConnectionTime);
		map.from(bootKeys.initialSize()).orFrom(() -> settings.size().value()).to(builder::initialSize);
		// pool.* keys.
		map.from(settings.size()).as(Setting::value).to(builder::minIdle);
		map.from(settings.maximum()).to(builder::maxSize);
		map.from(settings.overflowIdleTimeout()).as(Setting::value).to(builder::maxIdleTime);
		map.from(settings.overflowIdleTimeout())
			.as(ConnectionPoolMapping::evictionInterval)
			.to(builder::backgroundEvictionInterval);
		map.from(settings.recycle()).as(Setting::value).to(builder::maxLifeTime);
		map.from(settings.prePing())
			.as((prePing) -> prePing.value() ? ValidationDepth.REMOTE : ValidationDepth.LOCAL)
			.to(builder::validationDepth);
		map.from(settings.validationTimeout())
			.when((timeout) -> settings.prePing().value() || bootKeys.maxValidationTime() != null)
			.as(Setting::value)
			.to(builder::maxValidationTime);
		// What r2dbc-pool lacks: the acquire timeout over retries, max-waiting, keeping
		// size connections.
		Duration interval = evictionInterval(settings.overflowIdleTimeout());
		return ManagedConnectionPool.create(builder,
				new ManagedConnectionPool.Limits(name, settings.size().value(), settings.overflowIdleTimeout().value(),
						settings.recycle().value(), settings.acquireTimeout().value(), boot.getAcquireRetry(),
						settings.maxWaiting().value(), interval),
				credentials);
	}

	/**
	 * Half the idle timeout, at most 30s: an overflow connection lives at most 1.5 times
	 * it.
	 */
	private static Duration evictionInterval(Setting<Duration> overflowIdleTimeout) {
		Duration half = overflowIdleTimeout.value().dividedBy(2);
		return (half.compareTo(MAX_EVICTION_INTERVAL) < 0) ? half : MAX_EVICTION_INTERVAL;
	}

}
