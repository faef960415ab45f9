package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.autoconfigure.PgBouncerProperties;
import dev.pool.jdbc.PrePingCheck;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DurationUnit;

/**
 * The {@code pool.*} keys of the JDBC pool. A key left unset takes its value from the
 * {@link #getProfile() profile}; a bare number is seconds for {@code recycle} and the
 * timeouts, as in SQLAlchemy. The keys of the starter as a whole ({@code pool.enabled},
 * {@code pool.instances}, ...) are in {@link dev.pool.autoconfigure.PoolRootProperties}.
 *
 * @see PoolProfile
 */
@ConfigurationProperties("pool")
public class PoolProperties extends JdbcPoolSettingsProperties {

	/**
	 * Preset to start from: balanced, memory-efficient, high-throughput or cloud. Keys
	 * set explicitly override the preset.
	 */
	private PoolProfile profile = PoolProfile.BALANCED;

	/**
	 * Disks (or SSD queues) the database works on, added to cores x 2 when size is
	 * "auto".
	 */
	private int effectiveSpindles = 1;

	/**
	 * How pre-ping checks a connection: "auto" for the cheapest check that sees a
	 * connection the server closed with a message (on PostgreSQL over a plain socket, no
	 * round trip), or "round-trip" for isValid() on every borrow, which also sees one
	 * closed without a message (a proxy, a load balancer, a killed process). Defaults to
	 * auto.
	 */
	private @Nullable PrePingCheck prePingCheck;

	/**
	 * Read-only pool (a replica) used for read-only transactions.
	 */
	private final Read read = new Read();

	/**
	 * Credentials that rotate: files read again when they change, or a provider bean.
	 */
	@NestedConfigurationProperty
	private final CredentialsProperties credentials = new CredentialsProperties();

	/**
	 * Settings applied to every SQLite connection.
	 */
	private final Sqlite sqlite = new Sqlite();

	/**
	 * Pools of the application's own DataSource beans (and of the targets of a routing
	 * DataSource), by bean name or routing key, with the same keys as pool.*, which tunes
	 * only the DataSource Spring Boot auto-configures.
	 */
	private final Map<String, DataSourcePool> datasources = new LinkedHashMap<>();

	/**
	 * Running behind PgBouncer in transaction pooling mode.
	 */
	@NestedConfigurationProperty
	private final PgBouncerProperties pgbouncer = new PgBouncerProperties();

	public PoolProfile getProfile() {
		return this.profile;
	}

	public void setProfile(PoolProfile profile) {
		this.profile = profile;
	}

	public int getEffectiveSpindles() {
		return this.effectiveSpindles;
	}

	public void setEffectiveSpindles(int effectiveSpindles) {
		this.effectiveSpindles = effectiveSpindles;
	}

	public @Nullable PrePingCheck getPrePingCheck() {
		return this.prePingCheck;
	}

	public void setPrePingCheck(@Nullable PrePingCheck prePingCheck) {
		this.prePingCheck = prePingCheck;
	}

	public Read getRead() {
		return this.read;
	}

	public CredentialsProperties getCredentials() {
		return this.credentials;
	}

	public Sqlite getSqlite() {
		return this.sqlite;
	}

	public PgBouncerProperties getPgbouncer() {
		return this.pgbouncer;
	}

	public Map<String, DataSourcePool> getDatasources() {
		return this.datasources;
	}

	/**
	 * The pool of a DataSource bean of the application's own, or of a target of a routing
	 * DataSource. A key left unset keeps the value the bean was built with, unless a
	 * profile is set here.
	 */
	public static class DataSourcePool extends JdbcPoolSettingsProperties {

		/**
		 * Preset to start from: balanced, memory-efficient, high-throughput or cloud.
		 * When not set, only the keys set here are applied and the bean keeps its own
		 * values for the rest.
		 */
		private @Nullable PoolProfile profile;

		/**
		 * Read-only pool (a replica) beside this DataSource, used for read-only
		 * transactions. The bean then becomes a dev.pool.jdbc.ReadWriteDataSource.
		 */
		private final Read read = new Read();

		/**
		 * Credentials that rotate: files read again when they change, or a provider bean.
		 */
		@NestedConfigurationProperty
		private final CredentialsProperties credentials = new CredentialsProperties();

		public Read getRead() {
			return this.read;
		}

		public CredentialsProperties getCredentials() {
			return this.credentials;
		}

		public @Nullable PoolProfile getProfile() {
			return this.profile;
		}

		public void setProfile(@Nullable PoolProfile profile) {
			this.profile = profile;
		}

	}

	/**
	 * A read-only pool (a replica).
	 */
	public static class Read {

		/**
		 * JDBC URL of the read-only database (a replica). Unset: no read pool.
		 */
		private @Nullable String url;

		/**
		 * Login username of the read-only database.
		 */
		private @Nullable String username;

		/**
		 * Login password of the read-only database.
		 */
		private @Nullable String password;

		/**
		 * Connections kept open in the read pool. Defaults to pool.size.
		 */
		private @Nullable Integer size;

		/**
		 * Extra connections of the read pool under bursts. Defaults to pool.overflow.
		 */
		private @Nullable Integer overflow;

		/**
		 * Credentials of the read pool that rotate. Unset, with no username or password
		 * of its own: the primary pool's.
		 */
		@NestedConfigurationProperty
		private final CredentialsProperties credentials = new CredentialsProperties();

		public CredentialsProperties getCredentials() {
			return this.credentials;
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable Integer getSize() {
			return this.size;
		}

		public void setSize(@Nullable Integer size) {
			this.size = size;
		}

		public @Nullable Integer getOverflow() {
			return this.overflow;
		}

		public void setOverflow(@Nullable Integer overflow) {
			this.overflow = overflow;
		}

	}

	/**
	 * SQLite connection settings.
	 */
	public static class Sqlite {

		/**
		 * Journal mode applied to every SQLite connection (wal, delete, truncate,
		 * persist, memory, off).
		 */
		private String journalMode = "wal";

		/**
		 * How long SQLite waits for a lock before SQLITE_BUSY (busy_timeout).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration busyTimeout = Duration.ofSeconds(5);

		/**
		 * SQLite synchronous level (off, normal, full, extra).
		 */
		private String synchronous = "normal";

		public String getJournalMode() {
			return this.journalMode;
		}

		public void setJournalMode(String journalMode) {
			this.journalMode = journalMode;
		}

		public Duration getBusyTimeout() {
			return this.busyTimeout;
		}

		public void setBusyTimeout(Duration busyTimeout) {
			this.busyTimeout = busyTimeout;
		}

		public String getSynchronous() {
			return this.synchronous;
		}

		public void setSynchronous(String synchronous) {
			this.synchronous = synchronous;
		}

	}

}
