package dev.pool.jdbc;

import java.time.Instant;
import java.util.Objects;

/**
 * The username and password (or token) a {@link PoolCredentialsProvider} gives a pool for
 * its new connections, and until when they may be reused.
 *
 * @param username the login user, never null
 * @param password the password or token, may be null
 * @param expiresAt when the pool must ask the provider again; null to ask for every new
 * connection (and at every periodic check)
 */
public record PoolCredentials(String username, String password, Instant expiresAt) {

	public PoolCredentials {
		Objects.requireNonNull(username, "username");
	}

	/**
	 * Credentials the pool asks for again for every new connection.
	 * @param username the login user
	 * @param password the password or token
	 * @return the credentials
	 */
	public static PoolCredentials of(String username, String password) {
		return new PoolCredentials(username, password, null);
	}

	/**
	 * Credentials the pool reuses until they expire.
	 * @param username the login user
	 * @param password the password or token
	 * @param expiresAt when the pool must ask again (a token's expiry, or a little before
	 * it)
	 * @return the credentials
	 */
	public static PoolCredentials of(String username, String password, Instant expiresAt) {
		return new PoolCredentials(username, password, expiresAt);
	}

	/**
	 * Whether these credentials are the same login as others (the expiry aside).
	 * @param other other credentials, may be null
	 * @return whether username and password are equal
	 */
	boolean sameLogin(PoolCredentials other) {
		return other != null && this.username.equals(other.username) && Objects.equals(this.password, other.password);
	}

	@Override
	public String toString() {
		return "PoolCredentials[username=" + this.username + ", password=******, expiresAt=" + this.expiresAt + "]";
	}

}
