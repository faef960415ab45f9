package dev.pool.http.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationUnit;

/**
 * The keys of one HTTP connection pool, shared by {@code pool.http.*} and every
 * {@code pool.http.hosts.<name>.*}. A key left unset takes the starter's default
 * ({@code pool.http.*}) or the value of {@code pool.http.*} (a named host); a bare number
 * is seconds for the durations.
 */
public abstract class HttpPoolSettingsProperties {

	/**
	 * Open connections per remote host. Defaults to the capacity of Reactor Netty's
	 * global pool (500) for the pool behind Spring Boot's WebClient.Builder, and to 50
	 * for a named client.
	 */
	private @Nullable Integer maxConnections;

	/**
	 * Requests allowed to wait for a connection when all are in use (0 = none wait: fail
	 * at once). Defaults to twice max-connections (Reactor Netty's default) for the pool
	 * behind Spring Boot's WebClient.Builder, and to 1000 for a named client.
	 */
	private @Nullable Integer pendingAcquireMaxCount;

	/**
	 * How long a request waits for a connection before a clear error. Defaults to Reactor
	 * Netty's own (45s, or the reactor.netty.pool.acquireTimeout system property).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration pendingAcquireTimeout;

	/**
	 * Close a connection idle this long. Keep it below the keep-alive timeout of the
	 * server and of any load balancer in between. Defaults to 60s.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration maxIdleTime;

	/**
	 * Close a connection this old (recycle), so that DNS changes and rebalanced servers
	 * are picked up. Defaults to 5m.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration maxLifeTime;

	/**
	 * How often idle and old connections are swept in the background (0 = only when a
	 * connection is acquired). Defaults to 30s.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration evictInBackground;

	/**
	 * Which idle connection a request gets: lifo (the most recently used, so the others
	 * idle out under light load) or fifo (the least recently used). Defaults to lifo.
	 */
	private @Nullable String leaseStrategy;

	/**
	 * TCP connect timeout. Defaults to spring.http.clients.connect-timeout when that is
	 * set, else to Reactor Netty's own (30s), as in plain Spring Boot.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration connectTimeout;

	/**
	 * Time to the first response byte. Defaults to spring.http.clients.read-timeout when
	 * that is set, else to none (Reactor Netty's default), as in plain Spring Boot.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration responseTimeout;

	public @Nullable Integer getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(@Nullable Integer maxConnections) {
		this.maxConnections = maxConnections;
	}

	public @Nullable Integer getPendingAcquireMaxCount() {
		return this.pendingAcquireMaxCount;
	}

	public void setPendingAcquireMaxCount(@Nullable Integer pendingAcquireMaxCount) {
		this.pendingAcquireMaxCount = pendingAcquireMaxCount;
	}

	public @Nullable Duration getPendingAcquireTimeout() {
		return this.pendingAcquireTimeout;
	}

	public void setPendingAcquireTimeout(@Nullable Duration pendingAcquireTimeout) {
		this.pendingAcquireTimeout = pendingAcquireTimeout;
	}

	public @Nullable Duration getMaxIdleTime() {
		return this.maxIdleTime;
	}

	public void setMaxIdleTime(@Nullable Duration maxIdleTime) {
		this.maxIdleTime = maxIdleTime;
	}

	public @Nullable Duration getMaxLifeTime() {
		return this.maxLifeTime;
	}

	public void setMaxLifeTime(@Nullable Duration maxLifeTime) {
		this.maxLifeTime = maxLifeTime;
	}

	public @Nullable Duration getEvictInBackground() {
		return this.evictInBackground;
	}

	public void setEvictInBackground(@Nullable Duration evictInBackground) {
		this.evictInBackground = evictInBackground;
	}

	public @Nullable String getLeaseStrategy() {
		return this.leaseStrategy;
	}

	public void setLeaseStrategy(@Nullable String leaseStrategy) {
		this.leaseStrategy = leaseStrategy;
	}

	public @Nullable Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(@Nullable Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public @Nullable Duration getResponseTimeout() {
		return this.responseTimeout;
	}

	public void setResponseTimeout(@Nullable Duration responseTimeout) {
		this.responseTimeout = responseTimeout;
	}

}
