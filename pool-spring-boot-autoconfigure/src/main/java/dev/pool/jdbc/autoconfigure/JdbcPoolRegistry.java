package dev.pool.jdbc.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.Credentials;
import dev.pool.Setting;
import dev.pool.jdbc.JdbcDataSources;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.JdbcPoolDescription;
import dev.pool.jdbc.JdbcPoolState;
import dev.pool.jdbc.JdbcPoolStats;
import dev.pool.jdbc.JdbcPools;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.RotatingCredentials;

/**
 * The JDBC pools the starter made or tuned, each registered by the code that built it
 * with the settings it runs with and their sources.
 */
final class JdbcPoolRegistry implements JdbcPools {

	private final String profile;

	private final List<Registration> pools = new ArrayList<>();

	JdbcPoolRegistry(String profile) {
		this.profile = profile;
	}

	/**
	 * Register a pool the starter made or tuned.
	 * @param beanName the DataSource bean it belongs to
	 * @param role its role
	 * @param pool the pool
	 * @param settings the settings it runs with, by key, with their sources
	 * @param recorder what records the pool's statistics, null when nothing does
	 */
	void register(String beanName, String role, HikariDataSource pool, Map<String, Setting<?>> settings,
			JdbcPoolRecorder recorder) {
		synchronized (this.pools) {
			this.pools.removeIf((registration) -> registration.pool() == pool);
			this.pools.add(new Registration(beanName, role, pool,
					Collections.unmodifiableMap(new LinkedHashMap<>(settings)), recorder));
		}
	}

	/**
	 * Record new values of some settings of a registered pool, in place (a config refresh
	 * changed them on the running pool).
	 * @param pool the pool
	 * @param changed the settings that changed, by key
	 */
	void update(HikariDataSource pool, Map<String, Setting<?>> changed) {
		synchronized (this.pools) {
			this.pools.replaceAll((registration) -> {
				if (registration.pool() != pool) {
					return registration;
				}
				Map<String, Setting<?>> settings = new LinkedHashMap<>(registration.settings());
				settings.putAll(changed);
				return new Registration(registration.beanName(), registration.role(), pool,
						Collections.unmodifiableMap(settings), registration.recorder());
			});
		}
	}

	@Override
	public String profile() {
		return this.profile;
	}

	@Override
	public List<JdbcPoolDescription> describe() {
		return registrations().stream().map(this::describe).toList();
	}

	@Override
	public List<JdbcPoolDescription> describe(DataSource dataSource) {
		List<Registration> registrations = registrations();
		List<JdbcPoolDescription> descriptions = new ArrayList<>();
		List<JdbcPool> pools = JdbcPool.of(dataSource);
		if (pools.isEmpty()) {
			// A routing DataSource: the pools of its targets.
			pools = JdbcDataSources.pools(JdbcDataSources.of(JdbcDataSources.routingTargets(dataSource)));
		}
		for (JdbcPool pool : pools) {
			Registration registration = find(registrations, pool.dataSource());
			// A pool that had started before the starter saw it runs as its bean made it;
			// HikariCP's own counts are what there is of it.
			descriptions.add(describe((registration != null) ? registration
					: new Registration(null, pool.name(), pool.dataSource(),
							EffectiveSettings.of(null, EffectiveSettings.values(pool.dataSource()), pool.dataSource()),
							null)));
		}
		return descriptions;
	}

	@Override
	public void whenStarted(HikariDataSource pool, Consumer<String> action) {
		Registration registration = find(registrations(), pool);
		if (registration != null && registration.recorder() != null) {
			registration.recorder().whenStarted(action);
		}
		else {
			action.accept(pool.getPoolName());
		}
	}

	private static Registration find(List<Registration> registrations, HikariDataSource pool) {
		for (Registration registration : registrations) {
			if (registration.pool() == pool) {
				return registration;
			}
		}
		return null;
	}

	private List<Registration> registrations() {
		synchronized (this.pools) {
			return List.copyOf(this.pools);
		}
	}

	/**
	 * The one place the readers' view of a pool is made: its statistics are those of the
	 * pool instance, its state read once.
	 */
	private JdbcPoolDescription describe(Registration registration) {
		HikariDataSource pool = registration.pool();
		JdbcPoolStats stats = (registration.recorder() != null) ? registration.recorder()
				: (pool instanceof ManagedHikariDataSource managed) ? managed.getStats() : null;
		return new JdbcPoolDescription(registration.beanName(), registration.role(), pool.getPoolName(),
				Credentials.mask(pool.getJdbcUrl()), RotatingCredentials.usernameOf(pool), registration.settings(),
				stats, JdbcPoolState.of(pool), pool);
	}

	private record Registration(String beanName, String role, HikariDataSource pool, Map<String, Setting<?>> settings,
			JdbcPoolRecorder recorder) {
	}

}
