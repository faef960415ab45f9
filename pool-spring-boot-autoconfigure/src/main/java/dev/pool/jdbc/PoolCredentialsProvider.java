package dev.pool.jdbc;

/**
 * Gives a JDBC pool the credentials of its new connections: a token from a cloud IAM
 * token generator, a password from a Vault client. The pool asks for every new connection
 * once the last answer {@linkplain PoolCredentials#expiresAt() expired}, and at its
 * periodic check ({@code pool.credentials.check-interval}); when the answer differs from
 * the last, the pool's open connections are retired softly (idle ones at once, those in
 * use when they are returned), so no request fails and no connection with the old secret
 * is used again.
 * <p>
 * A bean of this type serves the pools named by {@code pool.credentials.provider},
 * {@code pool.read.credentials.provider} and
 * {@code pool.datasources.<name>.credentials.provider} (its bean name); a single bean of
 * this type that no such key names serves Spring Boot's DataSource (its write and read
 * pools). {@code pool.credentials.provider}, or that single bean, also serves Spring
 * Boot's R2DBC pool (role {@code r2dbc}). The pool's name and role tell one pool from
 * another.
 * <p>
 * It is called on HikariCP's connection-adding thread and the starter's check thread,
 * never on a caller's borrow (for R2DBC, on Reactor's {@code boundedElastic} threads when
 * a connection is opened, never on an event loop); it should answer within the pool's
 * connection timeout.
 */
@FunctionalInterface
public interface PoolCredentialsProvider {

	/**
	 * Return the credentials for new connections of a pool.
	 * @param dataSource the DataSource bean's name (or routing key) the pool belongs to
	 * @param role the pool's role: {@code primary}, {@code read}, for a SQLite file
	 * {@code writer} and {@code reader}, for Spring Boot's R2DBC pool {@code r2dbc} (its
	 * name is the connection factory's bean name)
	 * @return the credentials, never null
	 * @throws Exception when none can be had now: the pool keeps the last answer until it
	 * expires, and says so once
	 */
	PoolCredentials getCredentials(String dataSource, String role) throws Exception;

}
