package dev.pool.r2dbc;

import java.util.Map;

import dev.pool.jdbc.CredentialRotation;
import org.jspecify.annotations.Nullable;

/**
 * Where an R2DBC pool's credentials come from and, when they rotate, how often they
 * changed and were refused: never a secret.
 *
 * @param source {@code file: <path>}, {@code provider: <bean name>} or {@code property}
 * @param rotations how often the credentials changed since the pool was made
 * @param authFailures new connections the database refused for their credentials
 * (SQLState {@code 28P01} or {@code 28000}), counted only for rotating credentials
 * @param lastAuthFailure the last refusal (SQLState and the database's message), or null
 */
public record R2dbcPoolCredentials(String source, long rotations, long authFailures, @Nullable String lastAuthFailure) {

	/** Credentials that are the connection factory's own ({@code spring.r2dbc.*}). */
	public static final R2dbcPoolCredentials PROPERTY = new R2dbcPoolCredentials("property", 0, 0, null);

	/**
	 * Read the counts of rotating credentials now.
	 * @param credentials the credentials, or null for those of the connection factory
	 * @return the description
	 */
	public static R2dbcPoolCredentials of(@Nullable RotatingR2dbcCredentials credentials) {
		return (credentials != null) ? new R2dbcPoolCredentials(credentials.source(), credentials.rotations(),
				credentials.authFailures(), credentials.lastAuthFailure()) : PROPERTY;
	}

	/**
	 * Whether the credentials rotate (from files or a provider).
	 * @return false for the connection factory's own
	 */
	public boolean rotating() {
		return !"property".equals(this.source);
	}

	/**
	 * Describe the credentials for health and the {@code pools} endpoint, with the names
	 * the JDBC pools use.
	 * @return {@code source}, and for rotating credentials {@code rotations},
	 * {@code authenticationFailures} and {@code lastAuthenticationFailure} (when there
	 * was one)
	 */
	public Map<String, Object> describe() {
		return CredentialRotation.describe(this.source, this.rotations, this.authFailures, this.lastAuthFailure);
	}

}
