package dev.pool.autoconfigure;

/**
 * PgBouncer between the application and PostgreSQL ({@code pool.pgbouncer.*}): the JDBC
 * pool's driver settings and the server checks' connection math both read it, so it sits
 * apart from either.
 */
public class PgBouncerProperties {

	/**
	 * Whether the pool connects to PgBouncer in transaction pooling mode: the PostgreSQL
	 * driver then prepares no server-side statements (prepareThreshold=0), and the
	 * connection math is done against PgBouncer's limits.
	 */
	private boolean enabled = false;

	/**
	 * PgBouncer's max_client_conn: client connections it accepts from all instances.
	 */
	private int maxClientConnections = 100;

	/**
	 * PgBouncer's default_pool_size: server connections it opens per database and user.
	 */
	private int poolSize = 20;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getMaxClientConnections() {
		return this.maxClientConnections;
	}

	public void setMaxClientConnections(int maxClientConnections) {
		this.maxClientConnections = maxClientConnections;
	}

	public int getPoolSize() {
		return this.poolSize;
	}

	public void setPoolSize(int poolSize) {
		this.poolSize = poolSize;
	}

}
