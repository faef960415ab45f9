package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.autoconfigure.PgBouncerProperties;
import dev.pool.jdbc.PrePingCheck;

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
public class PoolProperties {

	/**
	 * Preset to start from: balanced, memory-efficient, high-throughput or cloud. Keys
	 * set explicitly override the preset.
	 */
	private String profile = PoolProfile.BALANCED.id();

	/**
	 * Connections kept open (persistent), or "auto" for this JVM's processors x 2 +
	 * effective-spindles. Defaults to the profile's size.
	 */
	private String size;

	/**
	 * Disks (or SSD queues) the database works on, added to cores x 2 when size is
	 * "auto".
	 */
	private int effectiveSpindles = 1;

	/**
	 * Extra connections opened under bursts and closed again once idle. At most size +
	 * overflow connections are open. Defaults to the profile's overflow.
	 */
	private Integer overflow;

	/**
	 * How long an idle overflow connection lives before it is closed (at least 10s).
	 * Defaults to the profile's value, 30s for balanced.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration overflowIdleTimeout;

	/**
	 * Age after which a connection is closed and replaced (at least 30s). Keep it below
	 * the server's and any proxy's idle timeout. Defaults to the profile's value.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration recycle;

	/**
	 * Whether to check that a connection is alive before handing it out, so that a dead
	 * one is replaced instead of reaching the caller. On when not set.
	 */
	private Boolean prePing;

	/**
	 * How pre-ping checks a connection: "auto" for the cheapest check that sees a
	 * connection the server closed with a message (on PostgreSQL over a plain socket, no
	 * round trip), or "round-trip" for isValid() on every borrow, which also sees one
	 * closed without a message (a proxy, a load balancer, a killed process). Defaults to
	 * auto.
	 */
	private PrePingCheck prePingCheck;

	/**
	 * How long a caller waits for a free connection before a clear error (at least
	 * 250ms). Defaults to the profile's value, 30s for balanced.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration acquireTimeout;

	/**
	 * How long a connection may be held before it is logged as a possible leak, with the
	 * stack that took it (0 = off, else at least 2s).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration leakDetectionThreshold;

	/**
	 * How many callers may wait for a connection of a pool at once; the next fails at
	 * once (503 in web applications) instead of queueing. 0 fails at once whenever every
	 * connection is in use. Unlimited when not set.
	 */
	private Integer maxWaiting;

	/**
	 * Read-only pool (a replica) used for read-only transactions.
	 */
	private final Read read = new Read();

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

	public String getProfile() {
		return this.profile;
	}

	public void setProfile(String profile) {
		this.profile = profile;
	}

	public String getSize() {
		return this.size;
	}

	public void setSize(String size) {
		this.size = size;
	}

	public int getEffectiveSpindles() {
		return this.effectiveSpindles;
	}

	public void setEffectiveSpindles(int effectiveSpindles) {
		this.effectiveSpindles = effectiveSpindles;
	}

	public Integer getOverflow() {
		return this.overflow;
	}

	public void setOverflow(Integer overflow) {
		this.overflow = overflow;
	}

	public Duration getOverflowIdleTimeout() {
		return this.overflowIdleTimeout;
	}

	public void setOverflowIdleTimeout(Duration overflowIdleTimeout) {
		this.overflowIdleTimeout = overflowIdleTimeout;
	}

	public Duration getRecycle() {
		return this.recycle;
	}

	public void setRecycle(Duration recycle) {
		this.recycle = recycle;
	}

	public Boolean getPrePing() {
		return this.prePing;
	}

	public void setPrePing(Boolean prePing) {
		this.prePing = prePing;
	}

	public PrePingCheck getPrePingCheck() {
		return this.prePingCheck;
	}

	public void setPrePingCheck(PrePingCheck prePingCheck) {
		this.prePingCheck = prePingCheck;
	}

	public Duration getAcquireTimeout() {
		return this.acquireTimeout;
	}

	public void setAcquireTimeout(Duration acquireTimeout) {
		this.acquireTimeout = acquireTimeout;
	}

	public Integer getMaxWaiting() {
		return this.maxWaiting;
	}

	public void setMaxWaiting(Integer maxWaiting) {
		this.maxWaiting = maxWaiting;
	}

	public Duration getLeakDetectionThreshold() {
		return this.leakDetectionThreshold;
	}

	public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
		this.leakDetectionThreshold = leakDetectionThreshold;
	}

	public Read getRead() {
		return this.read;
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
	public static class DataSourcePool {

		/**
		 * Preset to start from: balanced, memory-efficient, high-throughput or cloud.
		 * When not set, only the keys set here are applied and the bean keeps its own
		 * values for the rest.
		 */
		private String profile;

		/**
		 * Connections kept open (persistent), or "auto" for cores x 2 +
		 * pool.effective-spindles.
		 */
		private String size;

		/**
		 * Extra connections opened under bursts and closed again once idle.
		 */
		private Integer overflow;

		/**
		 * How long an idle overflow connection lives before it is closed (at least 10s).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration overflowIdleTimeout;

		/**
		 * Age after which a connection is closed and replaced (at least 30s).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration recycle;

		/**
		 * Whether to check that a connection is alive before handing it out (every borrow
		 * only in a dev.pool.jdbc.ManagedHikariDataSource).
		 */
		private Boolean prePing;

		/**
		 * How long a caller waits for a free connection before a clear error (at least
		 * 250ms).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration acquireTimeout;

		/**
		 * How long a connection may be held before it is logged as a possible leak (0 =
		 * off, else at least 2s).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration leakDetectionThreshold;

		/**
		 * How many callers may wait for a connection at once (only in a
		 * dev.pool.jdbc.ManagedHikariDataSource).
		 */
		private Integer maxWaiting;

		/**
		 * Read-only pool (a replica) beside this DataSource, used for read-only
		 * transactions. The bean then becomes a dev.pool.jdbc.ReadWriteDataSource.
		 */
		private final Read read = new Read();

		public Read getRead() {
			return this.read;
		}

		public String getProfile() {
			return this.profile;
		}

		public void setProfile(String profile) {
			this.profile = profile;
		}

		public String getSize() {
			return this.size;
		}

		public void setSize(String size) {
			this.size = size;
		}

		public Integer getOverflow() {
			return this.overflow;
		}

		public void setOverflow(Integer overflow) {
			this.overflow = overflow;
		}

		public Duration getOverflowIdleTimeout() {
			return this.overflowIdleTimeout;
		}

		public void setOverflowIdleTimeout(Duration overflowIdleTimeout) {
			this.overflowIdleTimeout = overflowIdleTimeout;
		}

		public Duration getRecycle() {
			return this.recycle;
		}

		public void setRecycle(Duration recycle) {
			this.recycle = recycle;
		}

		public Boolean getPrePing() {
			return this.prePing;
		}

		public void setPrePing(Boolean prePing) {
			this.prePing = prePing;
		}

		public Duration getAcquireTimeout() {
			return this.acquireTimeout;
		}

		public void setAcquireTimeout(Duration acquireTimeout) {
			this.acquireTimeout = acquireTimeout;
		}

		public Duration getLeakDetectionThreshold() {
			return this.leakDetectionThreshold;
		}

		public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
			this.leakDetectionThreshold = leakDetectionThreshold;
		}

		public Integer getMaxWaiting() {
			return this.maxWaiting;
		}

		public void setMaxWaiting(Integer maxWaiting) {
			this.maxWaiting = maxWaiting;
		}

	}

	/**
	 * A read-only pool (a replica).
	 */
	public static class Read {

		/**
		 * JDBC URL of the read-only database (a replica). Unset: no read pool.
		 */
		private String url;

		/**
		 * Login username of the read-only database.
		 */
		private String username;

		/**
		 * Login password of the read-only database.
		 */
		private String password;

		/**
		 * Connections kept open in the read pool. Defaults to pool.size.
		 */
		private Integer size;

		/**
		 * Extra connections of the read pool under bursts. Defaults to pool.overflow.
		 */
		private Integer overflow;

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public Integer getSize() {
			return this.size;
		}

		public void setSize(Integer size) {
			this.size = size;
		}

		public Integer getOverflow() {
			return this.overflow;
		}

		public void setOverflow(Integer overflow) {
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
