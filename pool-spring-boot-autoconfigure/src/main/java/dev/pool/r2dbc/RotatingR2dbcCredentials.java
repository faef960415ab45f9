package dev.pool.r2dbc;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.pool.jdbc.CredentialRotation;
import dev.pool.jdbc.PoolCredentials;
import dev.pool.jdbc.PoolCredentialsProvider;
import dev.pool.jdbc.SecretFile;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Wrapped;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The credentials of an R2DBC pool's new connections, from files
 * ({@code pool.credentials.*-file}) or a {@link PoolCredentialsProvider}: the driver
 * resolves {@link #username()} and {@link #password()} (R2DBC SPI option values given as
 * a {@link Publisher}) for every connection it opens. When they change, the pool's
 * connections made with the old ones are retired softly: each connection is stamped with
 * the generation of the credentials when it was opened, and the pool's eviction predicate
 * ({@link #retired(Connection)}) closes a stale one instead of handing it out (an idle
 * one at the next acquisition that reaches it or the pool's background sweep) or instead
 * of taking it back (one in use, when it is released). No request fails, and no
 * connection made with the old secret is handed out again.
 * <p>
 * It also counts the connections the database refused for their credentials (SQLState
 * {@code 28P01} or {@code 28000}, MySQL/MariaDB error 1045) and names the first refusal
 * of each secret in one WARN with where it came from. No secret is ever shown.
 */
public final class RotatingR2dbcCredentials {

	/** The role a {@link PoolCredentialsProvider} is asked for. */
	public static final String ROLE = "r2dbc";

	private static final Log logger = LogFactory.getLog(RotatingR2dbcCredentials.class);

	private final String pool;

	private final CredentialRotation rotation;

	private final Duration checkInterval;

	private final AtomicLong generation = new AtomicLong();

	private final Map<Connection, Long> stamps = Collections.synchronizedMap(new WeakHashMap<>());

	private RotatingR2dbcCredentials(String pool, Function<CredentialRotation.Pool, CredentialRotation> rotation,
			Duration checkInterval) {
		this.pool = pool;
		this.rotation = rotation.apply(new CredentialRotation.Pool(logger, () -> "R2DBC pool '" + pool + "'",
				"pool.r2dbc.auth.failures", RotatingR2dbcCredentials::refusalOf, this::retire));
		this.checkInterval = checkInterval;
	}

	/**
	 * Credentials read from files: a file left null takes the configured value.
	 * @param pool the pool's name, for messages
	 * @param usernameFile the file that holds the username, or null
	 * @param username the configured username ({@code spring.r2dbc.username}), or null
	 * @param passwordFile the file that holds the password, or null
	 * @param password the configured password, or null
	 * @param checkInterval how often the files are looked at besides for new connections
	 * @return the credentials
	 */
	public static RotatingR2dbcCredentials files(String pool, @Nullable SecretFile usernameFile,
			@Nullable String username, @Nullable SecretFile passwordFile, @Nullable String password,
			Duration checkInterval) {
		return new RotatingR2dbcCredentials(pool,
				(owner) -> CredentialRotation.files(owner, usernameFile, username, passwordFile, password),
				checkInterval);
	}

	/**
	 * Credentials from a provider bean, asked with the pool's name and the role
	 * {@value #ROLE}.
	 * @param pool the pool's (connection factory's) bean name
	 * @param provider the provider
	 * @param beanName the provider's bean name, for messages
	 * @param checkInterval how often an expired answer is renewed besides for new
	 * connections
	 * @return the credentials
	 */
	public static RotatingR2dbcCredentials provider(String pool, PoolCredentialsProvider provider, String beanName,
			Duration checkInterval) {
		return provider(pool, provider, beanName, checkInterval, Clock.systemUTC());
	}

	static RotatingR2dbcCredentials provider(String pool, PoolCredentialsProvider provider, String beanName,
			Duration checkInterval, Clock clock) {
		String name = "R2DBC pool '" + pool + "'";
		return new RotatingR2dbcCredentials(pool,
				(owner) -> CredentialRotation.provider(owner, provider, beanName, pool, ROLE, name, name, clock),
				checkInterval);
	}

	/**
	 * Whether the username comes from here (a username file or a provider) rather than
	 * from the configuration.
	 * @return true when {@link #username()} is to be set on the driver
	 */
	public boolean rotatesUsername() {
		return this.rotation.rotatesUsername();
	}

	/**
	 * Whether the password comes from here.
	 * @return true when {@link #password()} is to be set on the driver
	 */
	public boolean rotatesPassword() {
		return this.rotation.rotatesPassword();
	}

	/**
	 * The username of each new connection, resolved when the driver subscribes (off the
	 * caller's thread: a provider may block).
	 * @return the current username
	 */
	public Publisher<String> username() {
		return Mono.fromCallable(() -> resolve().username()).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * The password of each new connection, resolved when the driver subscribes; an answer
	 * without a password is the empty password.
	 * @return the current password
	 */
	public Publisher<CharSequence> password() {
		return Mono.<CharSequence>fromCallable(() -> Objects.requireNonNullElse(resolve().password(), ""))
			.subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Wrap the pool's connection factory: each connection it opens is stamped with the
	 * credentials' generation, and refusals are counted.
	 * @param factory the factory the pool opens connections with
	 * @return the factory to give the pool
	 */
	public ConnectionFactory watch(ConnectionFactory factory) {
		return new StampingConnectionFactory(factory, this);
	}

	/**
	 * Whether a connection was opened before the credentials last changed: the pool's
	 * eviction predicate closes it instead of handing it out or taking it back.
	 * @param connection a connection of the pool
	 * @return true when it is to be closed
	 */
	public boolean retired(Connection connection) {
		Long stamp = this.stamps.get(connection);
		return stamp != null && stamp < this.generation.get();
	}

	/**
	 * Look at the files (or the provider, once its answer expired) every
	 * {@code pool.credentials.check-interval} until disposed.
	 * @return the schedule, to dispose with the pool
	 */
	public Disposable watchPeriodically() {
		return Flux.interval(this.checkInterval, this.checkInterval, Schedulers.boundedElastic())
			.onBackpressureDrop()
			.subscribe((tick) -> check());
	}

	/**
	 * Look whether the credentials changed; a change retires the pool's connections.
	 */
	public void check() {
		this.rotation.check();
	}

	/**
	 * Return where the credentials come from, never the credentials themselves.
	 * @return {@code file: <path>} (both files, comma-separated, when both are set) or
	 * {@code provider: <bean name>}
	 */
	public String source() {
		return this.rotation.source();
	}

	/**
	 * Return how often the credentials changed since the pool was made.
	 * @return the count of changes seen
	 */
	public long rotations() {
		return this.rotation.rotations();
	}

	/**
	 * Return the new connections the database refused for their credentials.
	 * @return the count since the pool was made
	 */
	public long authFailures() {
		return this.rotation.authFailures();
	}

	/**
	 * Return the last refusal: its SQLState and the database's message, which names no
	 * secret.
	 * @return the last refusal, or null when there was none
	 */
	public @Nullable String lastAuthFailure() {
		return this.rotation.lastAuthFailure();
	}

	/**
	 * Return the current credentials, reading a changed file or asking the provider once
	 * its answer expired; a change retires the pool's connections.
	 * @return the credentials
	 * @throws IllegalStateException when there are none (the provider failed and never
	 * answered before)
	 */
	public PoolCredentials resolve() {
		return this.rotation.resolve();
	}

	private void retire() {
		this.generation.incrementAndGet();
		logger.info("pool: the credentials of R2DBC pool '" + this.pool + "' (" + source()
				+ ") changed; its connections made with the old ones are closed instead of being handed out "
				+ "(idle ones) or taken back (those in use), new ones use the new credentials");
	}

	void opened(Connection connection, long generation) {
		this.stamps.put(connection, generation);
	}

	long generation() {
		return this.generation.get();
	}

	/**
	 * Count a failed new connection if the database refused its credentials; the first
	 * refusal of these credentials is logged once.
	 * @param ex why the connection failed
	 */
	void connectionFailed(Throwable ex) {
		this.rotation.connectionFailed(ex);
	}

	/**
	 * A refusal of the credentials: PostgreSQL's 28P01 (invalid password) and 28000
	 * (invalid authorization, also MySQL's and MariaDB's), or MySQL/MariaDB error 1045.
	 * @param ex a failure to connect
	 * @return the SQLState and the masked message, or null when it is no refusal
	 */
	static @Nullable String refusal(Throwable ex) {
		return CredentialRotation.refusal(ex, RotatingR2dbcCredentials::refusalOf);
	}

	private static @Nullable String refusalOf(Throwable cause) {
		return (cause instanceof R2dbcException r2dbc)
				? CredentialRotation.refusal(r2dbc.getSqlState(), r2dbc.getErrorCode(), r2dbc.getMessage()) : null;
	}

	@Override
	public String toString() {
		return "RotatingR2dbcCredentials[" + source() + "]";
	}

	/**
	 * The pool's connection factory, stamping each connection with the generation of the
	 * credentials when it was asked for (a connection is never stamped newer than the
	 * credentials it was opened with) and counting refusals.
	 */
	private static final class StampingConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory> {

		private final ConnectionFactory delegate;

		private final RotatingR2dbcCredentials credentials;

		StampingConnectionFactory(ConnectionFactory delegate, RotatingR2dbcCredentials credentials) {
			this.delegate = delegate;
			this.credentials = credentials;
		}

		@Override
		public Publisher<? extends Connection> create() {
			return Mono.defer(() -> {
				long generation = this.credentials.generation();
				return Mono.from(this.delegate.create())
					.doOnNext((connection) -> this.credentials.opened(connection, generation))
					.doOnError(this.credentials::connectionFailed);
			});
		}

		@Override
		public ConnectionFactoryMetadata getMetadata() {
			return this.delegate.getMetadata();
		}

		@Override
		public ConnectionFactory unwrap() {
			return this.delegate;
		}

	}

}
