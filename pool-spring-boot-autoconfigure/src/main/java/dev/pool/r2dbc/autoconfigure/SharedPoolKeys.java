package dev.pool.r2dbc.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import dev.pool.jdbc.autoconfigure.CredentialsProperties;
import dev.pool.jdbc.autoconfigure.PoolProfile;
import dev.pool.jdbc.autoconfigure.PoolProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@code pool.*} keys the R2DBC pool shares with the JDBC pool ({@code profile},
 * {@code size}, {@code overflow}, {@code overflow-idle-timeout}, {@code recycle},
 * {@code pre-ping}, {@code acquire-timeout}, {@code max-waiting}), read through the JDBC
 * pool's properties and profiles: the one class of the R2DBC half that knows where they
 * live, so that they bind by the same relaxed rules (a bare number is seconds), and a
 * profile means the same for both.
 *
 * @param profileSet whether {@code pool.profile} is set
 * @param profileId the profile's id, {@code balanced} when not set
 * @param size {@code pool.size} as written, null when not set
 * @param effectiveSpindles {@code pool.effective-spindles}, for {@code size: auto}
 * @param overflow {@code pool.overflow}, null when not set
 * @param overflowIdleTimeout {@code pool.overflow-idle-timeout}, null when not set
 * @param recycle {@code pool.recycle}, null when not set
 * @param prePing {@code pool.pre-ping}, null when not set
 * @param acquireTimeout {@code pool.acquire-timeout}, null when not set
 * @param maxWaiting {@code pool.max-waiting}, null when not set
 * @param profileSize the profile's size
 * @param profileOverflow the profile's overflow
 * @param profileOverflowIdleTimeout the profile's overflow idle timeout
 * @param profileRecycle the profile's recycle age
 * @param profileAcquireTimeout the profile's acquire timeout
 */
record SharedPoolKeys(boolean profileSet, String profileId, String size, int effectiveSpindles, Integer overflow,
		Duration overflowIdleTimeout, Duration recycle, Boolean prePing, Duration acquireTimeout, Integer maxWaiting,
		int profileSize, int profileOverflow, Duration profileOverflowIdleTimeout, Duration profileRecycle,
		Duration profileAcquireTimeout) {

	/**
	 * Read the keys.
	 * @param environment the application's environment
	 * @return the keys
	 * @throws org.springframework.boot.context.properties.bind.BindException for an
	 * unknown profile (reported by the starter's failure analysis)
	 */
	static SharedPoolKeys from(Environment environment) {
		Binder binder = Binder.get(environment);
		PoolProperties keys = binder.bind("pool", PoolProperties.class).orElseGet(PoolProperties::new);
		boolean profileSet = binder.bind("pool.profile", String.class).isBound();
		PoolProfile profile = (keys.getProfile() != null) ? keys.getProfile() : PoolProfile.BALANCED;
		return new SharedPoolKeys(profileSet, profile.id(), keys.getSize(), keys.getEffectiveSpindles(),
				keys.getOverflow(), keys.getOverflowIdleTimeout(), keys.getRecycle(), keys.getPrePing(),
				keys.getAcquireTimeout(), keys.getMaxWaiting(), profile.size(), profile.overflow(),
				profile.overflowIdleTimeout(), profile.recycle(), profile.acquireTimeout());
	}

	/**
	 * Whether any key of the R2DBC pool is set: with none, the pool stays Spring Boot's.
	 * @return true when at least one is set
	 */
	boolean anySet() {
		return this.profileSet || Stream
			.of(this.size, this.overflow, this.overflowIdleTimeout, this.recycle, this.prePing, this.acquireTimeout,
					this.maxWaiting)
			.anyMatch(Objects::nonNull);
	}

	/**
	 * Whether a JDBC pool other than Spring Boot's (the read pool, a
	 * {@code pool.datasources.<name>} pool) names a credentials provider: the only
	 * {@code PoolCredentialsProvider} bean then serves that pool, not the R2DBC one.
	 * @param binder the binder of the application's environment
	 * @return true when one of them sets {@code credentials.provider}
	 */
	static boolean anyJdbcPoolNamesAProvider(Binder binder) {
		PoolProperties properties;
		try {
			properties = binder.bind("pool", PoolProperties.class).orElseGet(PoolProperties::new);
		}
		catch (RuntimeException ex) {
			// A bad pool.* value: the pool's own keys report it.
			return false;
		}
		List<CredentialsProperties> all = new ArrayList<>();
		all.add(properties.getRead().getCredentials());
		properties.getDatasources().values().forEach((pool) -> {
			all.add(pool.getCredentials());
			all.add(pool.getRead().getCredentials());
		});
		return all.stream().anyMatch((keys) -> keys.getProvider() != null);
	}

}
