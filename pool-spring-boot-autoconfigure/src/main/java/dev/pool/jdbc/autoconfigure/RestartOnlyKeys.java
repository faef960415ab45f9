package dev.pool.jdbc.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The JDBC keys a running pool cannot take (a new URL, credentials, any
 * {@code spring.datasource.*} key, the driver settings the starter's layout chose), and
 * their values, so that a config refresh can name the ones it changed. The values are
 * compared, never shown.
 */
final class RestartOnlyKeys {

	/** Each key, and every key below it. */
	private static final List<ConfigurationPropertyName> KEYS = Stream
		.concat(Stream.of("spring.datasource", "pool.enabled", "pool.read.url", "pool.read.username",
				"pool.read.password", "pool.read.credentials", "pool.credentials", "pool.sqlite", "pool.pgbouncer",
				"pool.datasources", "pool.instances", "pool.reserved-connections", "pool.fail-on-misconfiguration"),
				JdbcPoolKey.ALL.stream().filter((key) -> !key.isLive()).map((key) -> "pool." + key.name()))
		.map(ConfigurationPropertyName::of)
		.toList();

	private static final ConfigurationPropertyName DATASOURCES = ConfigurationPropertyName.of("pool.datasources");

	/**
	 * The keys of {@code pool.datasources.<name>.*} a running pool takes, in uniform form
	 * (the rest need a restart).
	 */
	private static final Set<String> LIVE_PER_DATASOURCE = Stream
		.concat(Stream.of("profile"),
				JdbcPoolKey.ALL.stream()
					.filter((key) -> key.isLive() && key.isPerDataSource())
					.map((key) -> key.name().replace("-", "")))
		.collect(Collectors.toUnmodifiableSet());

	private final Map<String, String> values;

	private RestartOnlyKeys(Map<String, String> values) {
		this.values = values;
	}

	/**
	 * The restart-only keys the environment sets now, with their values.
	 * @param environment the application's environment
	 * @return the keys and their values
	 */
	static RestartOnlyKeys of(ConfigurableEnvironment environment) {
		Map<String, String> values = new LinkedHashMap<>();
		Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
		for (ConfigurationPropertySource source : sources) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.filter(RestartOnlyKeys::isRestartOnly)
					.forEach((name) -> values.computeIfAbsent(name.toString(), (key) -> value(sources, name)));
			}
		}
		return new RestartOnlyKeys(values);
	}

	/**
	 * The keys whose values differ between two moments (set, changed or removed).
	 * @param before the keys before
	 * @return the keys that changed, sorted
	 */
	List<String> changedSince(RestartOnlyKeys before) {
		TreeSet<String> changed = new TreeSet<>();
		this.values.forEach((key, value) -> {
			if (!Objects.equals(value, before.values.get(key))) {
				changed.add(key);
			}
		});
		before.values.keySet().stream().filter((key) -> !this.values.containsKey(key)).forEach(changed::add);
		return List.copyOf(changed);
	}

	private static boolean isRestartOnly(ConfigurationPropertyName name) {
		if (DATASOURCES.isAncestorOf(name) && name.getNumberOfElements() == 4
				&& LIVE_PER_DATASOURCE.contains(name.getElement(3, Form.UNIFORM))) {
			return false;
		}
		return KEYS.stream().anyMatch((key) -> key.equals(name) || key.isAncestorOf(name));
	}

	/** The value that wins: the first source that has the key. */
	private static String value(Iterable<ConfigurationPropertySource> sources, ConfigurationPropertyName name) {
		for (ConfigurationPropertySource source : sources) {
			ConfigurationProperty property = source.getConfigurationProperty(name);
			if (property != null) {
				return String.valueOf(property.getValue());
			}
		}
		return null;
	}

}
