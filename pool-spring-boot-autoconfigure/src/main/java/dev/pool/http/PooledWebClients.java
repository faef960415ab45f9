package dev.pool.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The named clients of {@code pool.http.hosts.<name>.*}: a {@link WebClient} per name,
 * with the host's base URL and a connection pool of its own. Inject it and call
 * {@link #get(String)}.
 */
public final class PooledWebClients {

	private final Map<String, WebClient> clients;

	/**
	 * Create the registry.
	 * @param clients the clients by name
	 */
	public PooledWebClients(Map<String, WebClient> clients) {
		this.clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
	}

	/**
	 * Return the client of a host.
	 * @param name the host's name under {@code pool.http.hosts}
	 * @return its client
	 * @throws IllegalArgumentException if no host has that name
	 */
	public WebClient get(String name) {
		WebClient client = this.clients.get(name);
		if (client == null) {
			throw new IllegalArgumentException("No client named '" + name + "': set pool.http.hosts." + name
					+ ".base-url, or use one of " + this.clients.keySet());
		}
		return client;
	}

	/**
	 * Return the names of the clients, in the order they were configured.
	 * @return the names
	 */
	public Set<String> names() {
		return this.clients.keySet();
	}

}
