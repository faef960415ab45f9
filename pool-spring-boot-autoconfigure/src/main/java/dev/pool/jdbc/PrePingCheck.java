package dev.pool.jdbc;

/**
 * How {@code pool.pre-ping} checks a connection before a pool hands it out.
 */
public enum PrePingCheck {

	/**
	 * The cheapest check that sees a connection the server closed with a message: on
	 * PostgreSQL over a plain socket, whether the server sent anything to the idle
	 * connection (no round trip); a round trip with every other driver and over TLS or
	 * GSS encryption; none on SQLite.
	 */
	AUTO,

	/**
	 * {@link java.sql.Connection#isValid(int)} on every borrow, one round trip to the
	 * server, with every driver: also sees a connection closed without a message (a proxy
	 * or a load balancer, a backend killed with {@code SIGKILL}).
	 */
	ROUND_TRIP

}
