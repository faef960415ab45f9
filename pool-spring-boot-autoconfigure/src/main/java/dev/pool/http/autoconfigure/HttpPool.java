package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.pool.Setting;
import dev.pool.http.HttpPoolCustomizer;
import dev.pool.http.HttpPoolStats;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.context.properties.PropertyMapper;

/**
 * One HTTP connection pool: a Reactor Netty {@link ConnectionProvider} made from its
 * settings, and the recorder that counts what happens to its connections.
 */
final class HttpPool {

	/**
	 * How long shutdown waits for connections in use to be released before it closes
	 * them.
	 */
	static final Duration DISPOSE_TIMEOUT = Duration.ofSeconds(10);

	/** How often closing looks whether the connections in use were released. */
	private static final Duration RELEASE_POLL = Duration.ofMillis(10);

	private final HttpPoolSettings settings;

	private final HttpPoolRecorder recorder;

	private final ConnectionProvider provider;

	HttpPool(HttpPoolSettings settings, List<HttpPoolCustomizer> customizers) {
		this.settings = settings;
		this.recorder = new HttpPoolRecorder(settings);
		ConnectionProvider.Builder builder = ConnectionProvider.builder(settings.name());
		apply(settings, builder);
		customizers.forEach((customizer) -> customizer.customize(settings.name(), builder));
		this.provider = builder.build();
	}

	/**
	 * The one mapping from the starter's settings to Reactor Netty's. Every value is set:
	 * {@code ConnectionProvider.builder()} would otherwise pick its own defaults.
	 * @param settings the effective settings
	 * @param builder the builder of the pool's provider
	 */
	static void apply(HttpPoolSettings settings, ConnectionProvider.Builder builder) {
		PropertyMapper map = PropertyMapper.get();
		map.from(settings.maxConnections()).as(Setting::value).to(builder::maxConnections);
		map.from(settings.pendingAcquireMaxCount()).as(Setting::value).to(builder::pendingAcquireMaxCount);
		map.from(settings.pendingAcquireTimeout()).as(Setting::value).to(builder::pendingAcquireTimeout);
		map.from(settings.maxIdleTime()).as(Setting::value).to(builder::maxIdleTime);
		map.from(settings.maxLifeTime()).as(Setting::value).to(builder::maxLifeTime);
		map.from(settings.evictInBackground()).as(Setting::value).to(builder::evictInBackground);
		map.from(settings.leaseStrategy()).as(Setting::value).to((strategy) -> strategy.applyTo(builder));
	}

	/**
	 * Make a client on this pool, with its recorder and the timeouts that are set; a
	 * timeout that is not set stays as Reactor Netty has it (its connect timeout, no
	 * response timeout), as in a plain Spring Boot application.
	 * @return a new client
	 */
	HttpClient httpClient() {
		HttpClient client = HttpClient.create(this.provider).observe(this.recorder);
		Duration connectTimeout = this.settings.connectTimeout().value();
		if (connectTimeout != null) {
			client = client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
		}
		Duration responseTimeout = this.settings.responseTimeout().value();
		return (responseTimeout != null) ? client.responseTimeout(responseTimeout) : client;
	}

	HttpPoolSettings settings() {
		return this.settings;
	}

	ConnectionProvider provider() {
		return this.provider;
	}

	HttpPoolStats stats() {
		return this.recorder.stats();
	}

	/**
	 * Close the pool: connections in use get up to {@link #DISPOSE_TIMEOUT} to be
	 * released, then every connection is closed.
	 * <p>
	 * The wait reads the recorder's count of connections in use. Reactor Netty's own
	 * graceful close ({@code ConnectionProvider.Builder.disposeTimeout}) would do the
	 * same but wraps every acquisition in operators and a shared counter, a cost paid on
	 * every request for a wait that happens once.
	 * @return completes once the pool is closed
	 */
	Mono<Void> disposeLater() {
		return disposeLater(this.provider);
	}

	/**
	 * Close the pool for good, as {@link #disposeLater()} does. Reactor Netty makes a
	 * disposed pool anew when a client built on it is used again; a connection it then
	 * opens is closed after its request, and the pool disposed again.
	 * @return completes once the pool is closed
	 */
	Mono<Void> close() {
		this.recorder.closeLateConnections(this.provider);
		return disposeLater(this.provider);
	}

	private Mono<Void> disposeLater(ConnectionProvider provider) {
		Mono<Long> released = Flux.interval(Duration.ZERO, RELEASE_POLL)
			.filter((tick) -> this.recorder.active() == 0)
			.next();
		return released.timeout(DISPOSE_TIMEOUT, Mono.empty()).then(provider.disposeLater());
	}

}
