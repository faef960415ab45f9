package dev.pool.jdbc.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.ReadWriteDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Answers Spring Cloud's {@code spring.cloud.refresh.never-refreshable} (the beans its
 * {@code ConfigurationPropertiesRebinder} leaves alone on a config refresh, by exact
 * class name or bean name) with the value the application has, plus the starter's
 * DataSource classes: re-binding {@code spring.datasource.hikari.*} onto a running pool
 * fails (HikariCP seals its configuration once started), leaves the pool half changed,
 * and re-runs the starter's post-processor on it. The application's value is read from
 * the other property sources on every lookup, so a refresh that changes it is seen.
 * <p>
 * When the application does not set the key, Spring Cloud's default
 * ({@code com.zaxxer.hikari.HikariDataSource}, matched by exact class name) is kept and
 * extended to the application's own HikariDataSource beans of other classes, by bean
 * name: no running Hikari pool is re-bound.
 */
final class NeverRefreshablePropertySource extends PropertySource<Object> {

	static final String NAME = "poolNeverRefreshable";

	static final String KEY = "spring.cloud.refresh.never-refreshable";

	/** Spring Cloud's value when the application sets none. */
	static final String SPRING_CLOUD_DEFAULT = "com.zaxxer.hikari.HikariDataSource";

	/** The starter's DataSource classes, never re-bound. */
	static final List<String> STARTER_CLASSES = List.of(ManagedHikariDataSource.class.getName(),
			ReadWriteDataSource.class.getName());

	private final ConfigurableEnvironment environment;

	private final Supplier<Set<String>> hikariBeanNames;

	/**
	 * Create a new instance.
	 * @param environment the application's environment, which this source joins
	 * @param hikariBeanNames the names of the application's HikariDataSource beans
	 */
	NeverRefreshablePropertySource(ConfigurableEnvironment environment, Supplier<Set<String>> hikariBeanNames) {
		super(NAME);
		this.environment = environment;
		this.hikariBeanNames = hikariBeanNames;
	}

	/**
	 * Put the source in front of the environment's others (again, if a refresh moved
	 * another in front of it).
	 */
	void install() {
		MutablePropertySources sources = this.environment.getPropertySources();
		if (sources.stream().findFirst().orElse(null) != this) {
			sources.remove(NAME);
			sources.addFirst(this);
		}
	}

	@Override
	public Object getProperty(String name) {
		if (!KEY.equals(name)) {
			return null;
		}
		Set<String> entries = new LinkedHashSet<>();
		List<String> applications = applicationValue();
		if (applications != null) {
			applications.stream().map(String::trim).filter((entry) -> !entry.isEmpty()).forEach(entries::add);
		}
		else {
			entries.add(SPRING_CLOUD_DEFAULT);
			entries.addAll(this.hikariBeanNames.get());
		}
		entries.addAll(STARTER_CLASSES);
		return String.join(",", entries);
	}

	/**
	 * The application's own value, in any form Spring Boot binds (a comma-separated list,
	 * a YAML list, an environment variable), or null when it sets none.
	 */
	private @Nullable List<String> applicationValue() {
		List<PropertySource<?>> others = this.environment.getPropertySources()
			.stream()
			.filter((source) -> source != this)
			.toList();
		Binder binder = new Binder(ConfigurationPropertySources.from(others),
				new PropertySourcesPlaceholdersResolver(others));
		return binder.bind(KEY, Bindable.listOf(String.class)).orElse(null);
	}

}
