package dev.pool.r2dbc.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.PoolCredentialsProvider;
import dev.pool.jdbc.SecretFile;
import dev.pool.jdbc.autoconfigure.CredentialsProperties;
import dev.pool.jdbc.autoconfigure.SecretFiles;
import dev.pool.r2dbc.RotatingR2dbcCredentials;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Gives the connection factory Spring Boot's R2DBC auto-configuration makes the rotating
 * credentials {@code pool.credentials.*} names (the same keys as Spring Boot's
 * DataSource), or those of a single {@link PoolCredentialsProvider} bean no key names
 * (skipped, with an INFO line, for a driver that takes no such credentials): the driver's
 * {@code user} and {@code password} options become publishers that the driver resolves
 * for every connection it opens (R2DBC SPI 1.0 lets an option's value be a
 * {@code Supplier} or a {@code Publisher}; r2dbc-postgresql honours both). It runs after
 * every other customizer. The pool made on that factory retires the connections of old
 * credentials ({@link ConnectionPoolBeanPostProcessor}).
 */
final class RotatingCredentialsOptionsCustomizer implements ConnectionFactoryOptionsBuilderCustomizer, Ordered {

	/** The bean name of Spring Boot's connection factory: a provider is asked with it. */
	static final String CONNECTION_FACTORY = "connectionFactory";

	private static final Log logger = LogFactory.getLog(RotatingCredentialsOptionsCustomizer.class);

	private static final String PREFIX = "pool.credentials";

	/** The drivers known to resolve a user and password given as a publisher. */
	private static final Set<String> DRIVERS = Set.of("postgresql", "postgres");

	private final Environment environment;

	private final ListableBeanFactory beanFactory;

	private volatile @Nullable RotatingR2dbcCredentials credentials;

	RotatingCredentialsOptionsCustomizer(Environment environment, ListableBeanFactory beanFactory) {
		this.environment = environment;
		this.beanFactory = beanFactory;
	}

	/**
	 * Return the credentials given to the connection factory.
	 * @return the credentials, or null when none rotate (or the factory is not made yet)
	 */
	@Nullable RotatingR2dbcCredentials credentials() {
		return this.credentials;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void customize(ConnectionFactoryOptions.Builder builder) {
		Binder binder = Binder.get(this.environment);
		CredentialsProperties keys = binder.bind(PREFIX, CredentialsProperties.class)
			.orElseGet(CredentialsProperties::new);
		boolean set = keys.getUsernameFile() != null || keys.getPasswordFile() != null || keys.getProvider() != null;
		String implicit = set ? null : implicitProvider(binder);
		if (!set && implicit == null) {
			return;
		}
		Duration interval = keys.checkedInterval(PREFIX);
		ConnectionFactoryOptions options = builder.build();
		if (!set && !supportsPublishers(options)) {
			logger.info("pool: the PoolCredentialsProvider bean " + implicit + " does not serve the R2DBC connection "
					+ "factory: its driver (" + options.getValue(ConnectionFactoryOptions.DRIVER)
					+ ") takes no credentials resolved per connection");
			return;
		}
		checkDriver(options, firstKey(keys));
		RotatingR2dbcCredentials rotating;
		if (!set || keys.getProvider() != null) {
			keys.checkProviderOrFiles(PREFIX);
			String beanName = Objects.requireNonNullElse(keys.getProvider(), implicit);
			rotating = RotatingR2dbcCredentials.provider(CONNECTION_FACTORY, provider(beanName), beanName, interval);
		}
		else {
			SecretFile usernameFile = SecretFiles.read(PREFIX + ".username-file", keys.getUsernameFile(), "username");
			SecretFile passwordFile = SecretFiles.read(PREFIX + ".password-file", keys.getPasswordFile(), "password");
			String username = text(options.getValue(ConnectionFactoryOptions.USER));
			if (usernameFile == null && username == null) {
				throw new PoolConfigurationException(PREFIX + ".password-file", keys.getPasswordFile(),
						"a password file beside a username", "Set " + PREFIX
								+ ".username-file, or the connection factory's username " + "(spring.r2dbc.username).");
			}
			rotating = RotatingR2dbcCredentials.files(CONNECTION_FACTORY, usernameFile, username, passwordFile,
					text(options.getValue(ConnectionFactoryOptions.PASSWORD)), interval);
		}
		// Resolved once now: a provider that cannot answer stops start-up, as a missing
		// file does.
		rotating.resolve();
		if (rotating.rotatesUsername()) {
			option(builder, ConnectionFactoryOptions.USER, rotating.username());
		}
		if (rotating.rotatesPassword()) {
			option(builder, ConnectionFactoryOptions.PASSWORD, rotating.password());
		}
		this.credentials = rotating;
		logger.info("pool: R2DBC connection factory '" + CONNECTION_FACTORY + "' takes its credentials from "
				+ rotating.source() + (set ? "" : " (the only PoolCredentialsProvider bean)") + " (checked every "
				+ interval.toMillis() + " ms and for each new connection)");
	}

	/**
	 * An option's value given as a publisher, which R2DBC SPI 1.0 allows for any option
	 * and the driver resolves at connect time.
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static void option(ConnectionFactoryOptions.Builder builder, Option<?> option, Object value) {
		builder.option((Option) option, value);
	}

	private static boolean supportsPublishers(ConnectionFactoryOptions options) {
		Object driver = options.getValue(ConnectionFactoryOptions.DRIVER);
		return driver != null && DRIVERS.contains(driver.toString());
	}

	private static void checkDriver(ConnectionFactoryOptions options, String key) {
		Object driver = options.getValue(ConnectionFactoryOptions.DRIVER);
		if (!supportsPublishers(options)) {
			throw new PoolConfigurationException(key, "R2DBC driver " + driver,
					"an R2DBC driver that resolves a username and password given as a Publisher for each new "
							+ "connection: r2dbc-postgresql (r2dbc:postgresql://...)",
					"Remove the " + PREFIX + ".* keys (and leave no single PoolCredentialsProvider bean) for this "
							+ "application, or use r2dbc-postgresql; with a JDBC DataSource beside R2DBC the keys "
							+ "serve both.");
		}
	}

	private static String firstKey(CredentialsProperties keys) {
		if (keys.getProvider() != null) {
			return PREFIX + ".provider";
		}
		return (keys.getPasswordFile() != null) ? PREFIX + ".password-file" : PREFIX + ".username-file";
	}

	private PoolCredentialsProvider provider(String beanName) {
		Object bean = this.beanFactory.containsBean(beanName) ? this.beanFactory.getBean(beanName) : null;
		if (!(bean instanceof PoolCredentialsProvider provider)) {
			String[] names = this.beanFactory.getBeanNamesForType(PoolCredentialsProvider.class, false, false);
			throw new PoolConfigurationException(PREFIX + ".provider", beanName,
					"the name of a bean that implements dev.pool.jdbc.PoolCredentialsProvider" + ((names.length > 0)
							? " (there are: " + String.join(", ", names) + ")" : " (there is none)"),
					"Declare a PoolCredentialsProvider bean named " + beanName + ", or set " + PREFIX
							+ ".provider to the name of one.");
		}
		return provider;
	}

	/**
	 * The only PoolCredentialsProvider bean, unless a key names a provider.
	 */
	private @Nullable String implicitProvider(Binder binder) {
		String[] names = this.beanFactory.getBeanNamesForType(PoolCredentialsProvider.class, false, false);
		if (names.length != 1) {
			return null;
		}
		return SharedPoolKeys.anyJdbcPoolNamesAProvider(binder) ? null : names[0];
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value instanceof CharSequence sequence) ? sequence.toString() : null;
	}

}
