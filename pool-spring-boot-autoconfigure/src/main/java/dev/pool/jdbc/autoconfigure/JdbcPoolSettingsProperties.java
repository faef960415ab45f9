package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationUnit;

/**
 * The keys of one JDBC pool, shared by {@code pool.*} (Spring Boot's DataSource) and
 * every {@code pool.datasources.<name>.*} (a DataSource of the application's own). What
 * each key does, its Hikari key, its profile value and its rule are in
 * {@link JdbcPoolKey}; a bare number is seconds for the durations.
 */
public abstract class JdbcPoolSettingsProperties {

	/**
	 * Connections kept open (persistent), or "auto" for this JVM's processors x 2 +
	 * effective-spindles. Defaults to the profile's size.
	 */
	private @Nullable String size;

	/**
	 * Extra connections opened under bursts and closed again once idle. At most size +
	 * overflow connections are open. Defaults to the profile's overflow.
	 */
	private @Nullable Integer overflow;

	/**
	 * How long an idle overflow connection lives before it is closed (at least 10s).
	 * Defaults to the profile's value, 30s for balanced.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration overflowIdleTimeout;

	/**
	 * Age after which a connection is closed and replaced (at least 30s). Keep it below
	 * the server's and any proxy's idle timeout. Defaults to the profile's value.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration recycle;

	/**
	 * Whether to check that a connection is alive before handing it out, so that a dead
	 * one is replaced instead of reaching the caller. On when not set.
	 */
	private @Nullable Boolean prePing;

	/**
	 * How long a caller waits for a free connection before a clear error (at least
	 * 250ms). Defaults to the profile's value, 30s for balanced.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration acquireTimeout;

	/**
	 * How long a connection may be held before it is logged as a possible leak, with the
	 * stack that took it (0 = off, else at least 2s).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration leakDetectionThreshold;

	/**
	 * How many callers may wait for a connection of a pool at once; the next fails at
	 * once (503 in web applications) instead of queueing. 0 fails at once whenever every
	 * connection is in use. Unlimited when not set.
	 */
	private @Nullable Integer maxWaiting;

	public @Nullable String getSize() {
		return this.size;
	}

	public void setSize(@Nullable String size) {
		this.size = size;
	}

	public @Nullable Integer getOverflow() {
		return this.overflow;
	}

	public void setOverflow(@Nullable Integer overflow) {
		this.overflow = overflow;
	}

	public @Nullable Duration getOverflowIdleTimeout() {
		return this.overflowIdleTimeout;
	}

	public void setOverflowIdleTimeout(@Nullable Duration overflowIdleTimeout) {
		this.overflowIdleTimeout = overflowIdleTimeout;
	}

	public @Nullable Duration getRecycle() {
		return this.recycle;
	}

	public void setRecycle(@Nullable Duration recycle) {
		this.recycle = recycle;
	}

	public @Nullable Boolean getPrePing() {
		return this.prePing;
	}

	public void setPrePing(@Nullable Boolean prePing) {
		this.prePing = prePing;
	}

	public @Nullable Duration getAcquireTimeout() {
		return this.acquireTimeout;
	}

	public void setAcquireTimeout(@Nullable Duration acquireTimeout) {
		this.acquireTimeout = acquireTimeout;
	}

	public @Nullable Duration getLeakDetectionThreshold() {
		return this.leakDetectionThreshold;
	}

	public void setLeakDetectionThreshold(@Nullable Duration leakDetectionThreshold) {
		this.leakDetectionThreshold = leakDetectionThreshold;
	}

	public @Nullable Integer getMaxWaiting() {
		return this.maxWaiting;
	}

	public void setMaxWaiting(@Nullable Integer maxWaiting) {
		this.maxWaiting = maxWaiting;
	}

}
