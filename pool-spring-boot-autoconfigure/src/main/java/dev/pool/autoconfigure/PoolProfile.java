package dev.pool.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The presets behind {@code pool.profile}. Keys set explicitly override them.
 */
public enum PoolProfile {

	/**
	 * 20 kept + 40 overflow, recycle 1h, acquire 30s, overflow idle 30s.
	 */
	BALANCED("balanced", 20, 40, Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofSeconds(30)),

	/**
	 * 1 kept + 4 overflow, recycle 1h, acquire 10s, overflow idle 10m.
	 */
	MEMORY_EFFICIENT("memory-efficient", 1, 4, Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofMinutes(10)),

	/**
	 * 50 kept + 50 overflow, recycle 1h, acquire 1s, overflow idle 2m.
	 */
	HIGH_THROUGHPUT("high-throughput", 50, 50, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMinutes(2)),

	/**
	 * 20 kept + 40 overflow, recycle 10m (below the idle timeouts of cloud load balancers and
	 * NAT gateways), acquire 30s, overflow idle 30s.
	 */
	CLOUD("cloud", 20, 40, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(30));

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
