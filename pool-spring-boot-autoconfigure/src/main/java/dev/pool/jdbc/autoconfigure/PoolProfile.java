package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.pool.autoconfigure.PoolConfigurationException;

/**
 * The presets behind {@code pool.profile}. Keys set explicitly override them.
 */
public enum PoolProfile {

	/**
	 * 5 kept + 5 overflow: Spring Boot's maximum of 10 connections, half of them kept
	 * open; recycle 30m (HikariCP's own maxLifetime), acquire 30s, overflow idle 30s.
	 */
	BALANCED("balanced", 5, 5, Duration.ofMinutes(30), Duration.ofSeconds(30), Duration.ofSeconds(30)),

	/**
	 * 1 kept + 4 overflow, recycle 30m, acquire 10s, overflow idle 10m: the least a
	 * server holds for an application that is mostly idle.
	 */
	MEMORY_EFFICIENT("memory-efficient", 1, 4, Duration.ofMinutes(30), Duration.ofSeconds(10), Duration.ofMinutes(10)),

	/**
	 * 10 kept + 0 overflow: HikariCP's advice of a fixed pool (every connection kept
	 * warm, none opened under load), still within its pool-sizing formula (cores x 2 +
	 * spindles) for a database server of about 4 cores; recycle 30m, acquire 1s (fail
	 * fast instead of queueing), overflow idle 30s (not used without overflow).
	 */
	HIGH_THROUGHPUT("high-throughput", 10, 0, Duration.ofMinutes(30), Duration.ofSeconds(1), Duration.ofSeconds(30)),

	/**
	 * 5 kept + 5 overflow, recycle 10m (below the idle timeouts of cloud load balancers
	 * and NAT gateways), acquire 30s, overflow idle 30s.
	 */
	CLOUD("cloud", 5, 5, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(30));

	private final String id;

	private final int size;

	private final int overflow;

	private final Duration recycle;

	private final Duration acquireTimeout;

	private final Duration overflowIdleTimeout;

	PoolProfile(String id, int size, int overflow, Duration recycle, Duration acquireTimeout,
			Duration overflowIdleTimeout) {
		this.id = id;
		this.size = size;
		this.overflow = overflow;
		this.recycle = recycle;
		this.acquireTimeout = acquireTimeout;
		this.overflowIdleTimeout = overflowIdleTimeout;
	}

	/**
	 * Return the preset named by a {@code pool.profile} value.
	 * @param value the value as the user wrote it
	 * @return the preset
	 * @throws PoolConfigurationException if no preset has that name
	 */
	public static PoolProfile of(String value) {
		String id = (value != null) ? value.trim().toLowerCase(Locale.ROOT).replace('_', '-') : "";
		for (PoolProfile profile : values()) {
			if (profile.id.equals(id)) {
				return profile;
			}
		}
		throw new PoolConfigurationException("pool.profile", value, "one of " + ids(),
				"Set pool.profile to one of " + ids() + ", or remove it to use balanced.");
	}

	private static String ids() {
		return Arrays.stream(values()).map(PoolProfile::id).collect(Collectors.joining(", "));
	}

	public String id() {
		return this.id;
	}

	public int size() {
		return this.size;
	}

	public int overflow() {
		return this.overflow;
	}

	public Duration recycle() {
		return this.recycle;
	}

	public Duration acquireTimeout() {
		return this.acquireTimeout;
	}

	public Duration overflowIdleTimeout() {
		return this.overflowIdleTimeout;
	}

}
