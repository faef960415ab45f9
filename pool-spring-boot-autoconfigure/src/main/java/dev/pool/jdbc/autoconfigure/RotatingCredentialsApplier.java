package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.JdbcPool;
import dev.pool.jdbc.PoolCredentialsProvider;
import dev.pool.jdbc.RotatingCredentials;
import dev.pool.jdbc.SecretFile;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Gives a pool its rotating credentials, before the customizers run: the files or the
 * provider its {@code credentials.*} keys name ({@code pool.credentials.*} for Spring
 * Boot's DataSource, {@code pool.read.credentials.*} for its read pool, which otherwise
 * takes the primary's unless it has a username or password of its own, and
 * {@code pool.datasources.<name>.credentials.*} and {@code .read.credentials.*} for the
 * application's own), or a single {@link PoolCredentialsProvider} bean no key names, for
 * Spring Boot's DataSource. A missing or empty file stops start-up naming the key and the
 * path.
 */
final class RotatingCredentialsApplier {

	private static final Log logger = LogFactory.getLog(RotatingCredentialsApplier.class);

	private RotatingCredentialsApplier() {
	}

	/**
	 * Give a pool that has not started its rotating credentials, if its keys set any.
	 * @param beanFactory where the provider beans are
	 * @param properties the {@code pool.*} keys
	 * @param name the DataSource bean's name or routing key
	 * @param role the pool's role
	 * @param pool the pool
	 * @param springBoot whether the pool is one of Spring Boot's DataSource
	 */
	static void apply(BeanFactory beanFactory, PoolProperties properties, String name, String role,
			HikariDataSource pool, boolean springBoot) {
		Target target = target(properties, name, role, springBoot);
		if (target == null) {
			return;
		}
		CredentialsProperties credentials = target.credentials();
		String prefix = target.prefix();
		if (!credentials.isSet()) {
			String implicit = springBoot ? implicitProvider(beanFactory, properties) : null;
			if (implicit != null) {
				install(beanFactory, pool, name, role, prefix, implicit, credentials.getCheckInterval(), false);
			}
			return;
		}
		Duration interval = credentials.checkedInterval(prefix);
		if (credentials.getProvider() != null) {
			credentials.checkProviderOrFiles(prefix);
			install(beanFactory, pool, name, role, prefix, credentials.getProvider(), interval, true);
			return;
		}
		SecretFile usernameFile = SecretFiles.read(prefix + ".username-file", credentials.getUsernameFile(),
				"username");
		SecretFile passwordFile = SecretFiles.read(prefix + ".password-file", credentials.getPasswordFile(),
				"password");
		if (usernameFile == null && pool.getUsername() == null) {
			throw new PoolConfigurationException(prefix + ".password-file", credentials.getPasswordFile(),
					"a password file beside a username",
					"Set " + prefix + ".username-file, or the DataSource's username (spring.datasource.username).");
		}
		RotatingCredentials rotating = RotatingCredentials.files(pool, usernameFile, passwordFile);
		watch(beanFactory, rotating, interval);
		logger.info("pool: " + describe(name, role) + " takes its credentials from " + rotating.source()
				+ " (checked every " + interval.toMillis() + " ms and for each new connection)");
	}

	private static void install(BeanFactory beanFactory, HikariDataSource pool, String name, String role, String prefix,
			String beanName, Duration interval, boolean named) {
		Object bean = (beanFactory != null && beanFactory.containsBean(beanName)) ? beanFactory.getBean(beanName)
				: null;
		if (!(bean instanceof PoolCredentialsProvider provider)) {
			throw new PoolConfigurationException(prefix + ".provider", beanName,
					"the name of a bean that implements dev.pool.jdbc.PoolCredentialsProvider" + providers(beanFactory),
					"Declare a PoolCredentialsProvider bean named " + beanName + ", or set " + prefix
							+ ".provider to the name of one.");
		}
		RotatingCredentials rotating = RotatingCredentials.provider(pool, provider, beanName, name, role);
		watch(beanFactory, rotating, interval);
		logger.info("pool: " + describe(name, role) + " takes its credentials from " + rotating.source()
				+ (named ? "" : " (the only PoolCredentialsProvider bean)"));
	}

	private static void watch(BeanFactory beanFactory, RotatingCredentials credentials, Duration interval) {
		CredentialsWatcher watcher = (beanFactory != null)
				? beanFactory.getBeanProvider(CredentialsWatcher.class).getIfAvailable() : null;
		if (watcher != null) {
			watcher.watch(credentials, interval);
		}
	}

	/**
	 * The only PoolCredentialsProvider bean, unless a key names a provider.
	 */
	private static String implicitProvider(BeanFactory beanFactory, PoolProperties properties) {
		if (!(beanFactory instanceof ListableBeanFactory listable)) {
			return null;
		}
		String[] names = listable.getBeanNamesForType(PoolCredentialsProvider.class, false, false);
		if (names.length != 1 || namedProviders(properties).size() > 0) {
			return null;
		}
		return names[0];
	}

	private static Set<String> namedProviders(PoolProperties properties) {
		List<CredentialsProperties> all = new ArrayList<>();
		all.add(properties.getCredentials());
		all.add(properties.getRead().getCredentials());
		properties.getDatasources().values().forEach((pool) -> {
			all.add(pool.getCredentials());
			all.add(pool.getRead().getCredentials());
		});
		Set<String> named = new LinkedHashSet<>();
		all.stream().map(CredentialsProperties::getProvider).filter((name) -> name != null).forEach(named::add);
		return named;
	}

	private static String providers(BeanFactory beanFactory) {
		if (beanFactory instanceof ListableBeanFactory listable) {
			String[] names = listable.getBeanNamesForType(PoolCredentialsProvider.class, false, false);
			return (names.length > 0) ? " (there are: " + String.join(", ", names) + ")" : " (there is none)";
		}
		return "";
	}

	/**
	 * The keys that set a pool's credentials.
	 */
	private static Target target(PoolProperties properties, String name, String role, boolean springBoot) {
		if (springBoot) {
			return JdbcPool.READ.equals(role)
					? read(properties.getRead(), "pool.read", properties.getCredentials(), "pool.credentials")
					: new Target(properties.getCredentials(), "pool.credentials");
		}
		String key = DataSourceNames.find(properties.getDatasources().keySet(), name);
		if (key == null) {
			return null;
		}
		PoolProperties.DataSourcePool pool = properties.getDatasources().get(key);
		String prefix = "pool.datasources." + key;
		return JdbcPool.READ.equals(role)
				? read(pool.getRead(), prefix + ".read", pool.getCredentials(), prefix + ".credentials")
				: new Target(pool.getCredentials(), prefix + ".credentials");
	}

	/**
	 * A read pool's own credentials keys; the primary's when it has none of its own and
	 * no username or password either.
	 */
	private static Target read(PoolProperties.Read read, String prefix, CredentialsProperties primary,
			String primaryPrefix) {
		if (read.getCredentials().isSet()) {
			return new Target(read.getCredentials(), prefix + ".credentials");
		}
		if (read.getUsername() != null || read.getPassword() != null) {
			return null;
		}
		return new Target(primary, primaryPrefix);
	}

	private static String describe(String name, String role) {
		return "DataSource '" + name + "' (" + role + ")";
	}

	private record Target(CredentialsProperties credentials, String prefix) {
	}

}
