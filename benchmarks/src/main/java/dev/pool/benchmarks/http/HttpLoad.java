package dev.pool.benchmarks.http;

/**
 * Benchmark 4, not built yet: HTTP on 127.0.0.1 through the starter's WebClient pool
 * ({@code pool.http.*}) against a new connection per request. It needs the HTTP pool, which
 * is being built on its own branch; the runner reports this section as not run until then.
 */
public final class HttpLoad {

	/** The section's title. */
	public static final String TITLE = "4. HTTP over 127.0.0.1 (WebClient pool)";

	/** Why the section does not run yet. */
	public static final String FOLLOW_UP = "follow-up: needs the starter's HTTP pool (`pool.http.*`), which is not "
			+ "on this branch yet. Plan: a Reactor Netty server on 127.0.0.1 and the starter's `WebClient.Builder`, "
			+ "16 concurrent requests for a fixed time, against `ConnectionProvider.newConnection()` (a new "
			+ "connection per request); bounded in count so the closed sockets in TIME_WAIT stay few.";

	private HttpLoad() {
	}

}
