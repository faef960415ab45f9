package dev.pool.jdbc.autoconfigure;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import dev.pool.Setting;
import dev.pool.jdbc.ManagedHikariDataSource;

import org.springframework.boot.context.properties.PropertyMapper;

/**
 * The one mapping from the starter's settings to HikariCP's, a row per setting. A setting
 * that is null is not applied (a DataSource bean of the user's own gets only the
 * {@code pool.*} keys the user set).
 */
final class HikariConfigMapping {

	private HikariConfigMapping() {
	}

	/**
	 * Apply the settings to a pool that has not started.
	 * @param settings the settings of this pool
	 * @param hikari the pool's configuration
	 */
	static void apply(JdbcPoolSettings settings, HikariConfig hikari) {
		PropertyMapper map = PropertyMapper.get();
		map.from(settings.size()).as(Setting::value).to(hikari::setMinimumIdle);
		map.from(settings.overflow()).as((overflow) -> kept(hikari) + overflow.value()).to(hikari::setMaximumPoolSize);
		map.from(settings.overflowIdleTimeout()).as(HikariConfigMapping::millis).to(hikari::setIdleTimeout);
		map.from(settings.recycle()).as(HikariConfigMapping::millis).to(hikari::setMaxLifetime);
		map.from(settings.acquireTimeout()).as(HikariConfigMapping::millis).to(hikari::setConnectionTimeout);
		map.from(settings.leakDetectionThreshold())
			.as(HikariConfigMapping::millis)
			.to(hikari::setLeakDetectionThreshold);
		if (hikari instanceof ManagedHikariDataSource managed) {
			map.from(settings.prePing()).as(Setting::value).to(managed::setStrictPrePing);
			map.from(settings.prePingCheck()).as(Setting::value).to(managed::setPrePingCheck);
			map.from(settings.maxWaiting()).as(HikariConfigMapping::waiting).to(managed::setMaxWaiting);
		}
		if (hikari.getMinimumIdle() > hikari.getMaximumPoolSize()) {
			// Only a user's own bean gets here (pool.size set, pool.overflow not):
			// HikariCP
			// would lower the size silently, so the maximum rises to it instead.
			hikari.setMaximumPoolSize(hikari.getMinimumIdle());
		}
		if (settings.overflow() != null && settings.overflow().value() == 0) {
			// A fixed-size pool closes no idle connection; HikariCP warns if a timeout is
			// set.
			hikari.setIdleTimeout(0);
		}
	}

	/**
	 * Connections the pool keeps: HikariCP's minimumIdle, which is -1 (as many as the
	 * maximum) until set.
	 */
	private static int kept(HikariConfig hikari) {
		int minimumIdle = hikari.getMinimumIdle();
		return (minimumIdle >= 0) ? minimumIdle : hikari.getMaximumPoolSize();
	}

	private static long millis(Setting<Duration> setting) {
		return setting.value().toMillis();
	}

	/** No limit on waiting callers is -1 for {@link ManagedHikariDataSource}. */
	private static int waiting(Setting<Integer> setting) {
		return (setting.value() != null) ? setting.value() : -1;
	}

}
