package dev.pool.http.autoconfigure;

import java.util.Locale;

import dev.pool.autoconfigure.PoolConfigurationException;
import reactor.netty.resources.ConnectionProvider;

/**
 * Which idle connection a request gets: {@code pool.http.lease-strategy}.
 */
public enum LeaseStrategy {

	/**
	 * The most recently used connection, so that the others idle out under light load.
	 */
	LIFO,

	/**
	 * The least recently used connection, so that load spreads over every connection.
	 */
	FIFO;

	/**
	 * Return the strategy a {@code lease-strategy} value names.
	 * @param key the key the value was read from
	 * @param value the value as the user wrote it
	 * @return the strategy
	 * @throws PoolConfigurationException if the value names none
	 */
	static LeaseStrategy of(String key, String value) {
		String id = value.trim().toLowerCase(Locale.ROOT);
		for (LeaseStrategy strategy : values()) {
			if (strategy.id().equals(id)) {
				return strategy;
			}
		}
		throw new PoolConfigurationException(key, value, "lifo or fifo",
				"Set " + key + " to lifo (reuse the most recently used connection, the default) or fifo.");
	}

	String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	void applyTo(ConnectionProvider.Builder builder) {
		if (this == LIFO) {
			builder.lifo();
		}
		else {
			builder.fifo();
		}
	}

	@Override
	public String toString() {
		return id();
	}

}
