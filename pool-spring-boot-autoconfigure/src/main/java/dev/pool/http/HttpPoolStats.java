package dev.pool.http;

/**
 * A snapshot of one HTTP connection pool's counts since it was made.
 *
 * @param name the pool name: {@code default} for the pool behind Spring Boot's
 * {@code WebClient.Builder}, else the name of the host under {@code pool.http.hosts}
 * @param acquired connections handed to requests: {@code created + reused}
 * @param created TCP connections opened
 * @param reused requests served by a connection that was idle in the pool
 * @param closedIdle connections the pool closed after {@code max-idle-time}
 * @param closedLife connections the pool closed after {@code max-life-time} (recycled)
 * @param closedOther connections closed otherwise: by the server, on an error, at
 * shutdown
 * @param open connections open now
 * @param active connections serving a request now
 */
public record HttpPoolStats(String name, long acquired, long created, long reused, long closedIdle, long closedLife,
		long closedOther, int open, int active) {

	/**
	 * The share of requests served by a connection that was already open.
	 * @return {@code reused / acquired}, 0 before the first request
	 */
	public double reuseRate() {
		return (this.acquired > 0) ? (double) this.reused / this.acquired : 0;
	}

	/**
	 * Connections the pool closed because of their idle time or age.
	 * @return {@code closedIdle + closedLife}
	 */
	public long recycled() {
		return this.closedIdle + this.closedLife;
	}

	/**
	 * Connections open and waiting in the pool now.
	 * @return {@code open - active}
	 */
	public int idle() {
		return Math.max(0, this.open - this.active);
	}

}
