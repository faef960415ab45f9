package dev.pool.jdbc.autoconfigure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.pool.autoconfigure.PoolConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * The names under {@code pool.datasources}: a DataSource bean's name, or the routing key
 * of a routing DataSource's target. A name matches in any relaxed form
 * ({@code ordersDataSource}, {@code orders-data-source}, or
 * {@code POOL_DATASOURCES_ORDERSDATASOURCE_SIZE} from the environment).
 */
final class DataSourceNames {

	private DataSourceNames() {
	}

	/**
	 * The {@code pool.datasources} key that names a DataSource.
	 * @param keys the {@code pool.datasources} keys
	 * @param name the DataSource's bean name or routing key
	 * @return the key, or null when none names it
	 */
	static @Nullable String find(Collection<String> keys, String name) {
		if (keys.contains(name)) {
			return name;
		}
		return keys.stream().filter((key) -> relaxed(key).equals(relaxed(name))).findFirst().orElse(null);
	}

	/**
	 * Fail on a {@code pool.datasources} key that names no DataSource of the
	 * application's own.
	 * @param keys the {@code pool.datasources} keys
	 * @param names the DataSource bean names and routing keys there are
	 * @param springBoot the names of Spring Boot's DataSources, which {@code pool.*}
	 * tunes
	 * @param routingPending whether a routing DataSource has not been created yet (lazy),
	 * so that its routing keys are not known
	 * @return the keys that name no DataSource yet while a routing DataSource is pending
	 */
	static List<String> check(Collection<String> keys, Collection<String> names, Collection<String> springBoot,
			boolean routingPending) {
		List<String> pending = new ArrayList<>();
		for (String key : keys) {
			String name = find(names, key);
			if (name != null && find(springBoot, key) != null) {
				throw new PoolConfigurationException("pool.datasources." + key, key,
						"the name of a DataSource of the application's own: '" + name
								+ "' is the DataSource Spring Boot auto-configures, which pool.* tunes",
						"Move the pool.datasources." + key + ".* keys to pool.* (pool.size, pool.overflow, ...).");
			}
			if (name == null && routingPending) {
				pending.add(key);
			}
			else if (name == null) {
				List<String> own = names.stream().filter((candidate) -> find(springBoot, candidate) == null).toList();
				throw new PoolConfigurationException("pool.datasources." + key, key,
						"the bean name of a DataSource of the application's own, or the routing key of a target of a "
								+ "routing DataSource: "
								+ (own.isEmpty() ? "this application has none"
										: own.stream()
											.map((candidate) -> "'" + candidate + "'")
											.collect(Collectors.joining(", "))),
						"Rename pool.datasources." + key + " to one of those names, or remove it.");
			}
		}
		return pending;
	}

	/**
	 * The WARN for {@code pool.*} keys set in an application that has only DataSources of
	 * its own, which {@code pool.*} does not tune.
	 * @param keys the {@code pool.*} keys set
	 * @param own the names of the application's own pools
	 * @return the message
	 */
	static String unusedKeys(List<String> keys, List<String> own) {
		String instead = own.stream()
			.flatMap((name) -> keys.stream()
				.map((key) -> key.replaceFirst("^pool\\.", "pool.datasources." + name + ".")))
			.collect(Collectors.joining(", "));
		return "pool: " + String.join(", ", keys) + ((keys.size() > 1) ? " tune" : " tunes")
				+ " only the DataSource Spring Boot auto-configures, and this application has none: its own DataSource"
				+ ((own.size() > 1) ? "s " : " ")
				+ own.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "))
				+ ((own.size() > 1) ? " keep the values their code set. To tune them, set "
						: " keeps the values its code set. To tune it, set ")
				+ instead + ".";
	}

	static String notHikari(List<String> keys, List<String> dataSources) {
		return "pool: " + String.join(", ", keys) + ((keys.size() > 1) ? " tune" : " tunes")
				+ " only HikariCP pools, and this application has none: its DataSource"
				+ ((dataSources.size() > 1) ? "s " : " ")
				+ dataSources.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "))
				+ ((dataSources.size() > 1) ? " are" : " is")
				+ " of another kind and left as they are. Build them as HikariDataSource beans (Spring Boot's "
				+ "DataSourceBuilder does by default) to have them tuned by pool.datasources.<bean-name>.*.";
	}

	private static String relaxed(String name) {
		return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

}
