package dev.pool.autoconfigure;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code pool.*} keys that concern the starter as a whole, not one kind of pool:
 * whether it acts at all, and the deployment the connection math of the server checks
 * counts with. Each kind of pool keeps its own keys in its own properties class
 * ({@code dev.pool.jdbc.autoconfigure.PoolProperties},
 * {@code dev.pool.http.autoconfigure.HttpPoolProperties}, ...).
 */
@ConfigurationProperties("pool")
public class PoolRootProperties implements InitializingBean {

	/**
	 * Whether the starter tunes the application's pools. When false, every DataSource and
	 * WebClient is left exactly as Spring Boot makes it.
	 */
	private boolean enabled = true;

	/**
	 * How many replicas of the application share the database, for the connection math.
	 */
	private int instances = 1;

	/**
	 * Server connections to leave free for admin tools, for the connection math.
	 */
	private int reservedConnections = 10;

	/**
	 * Whether a failed server check stops start-up. When false, it is a WARN line and a
	 * health detail.
	 */
	private boolean failOnMisconfiguration = false;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getInstances() {
		return this.instances;
	}

	public void setInstances(int instances) {
		this.instances = instances;
	}

	public int getReservedConnections() {
		return this.reservedConnections;
	}

	public void setReservedConnections(int reservedConnections) {
		this.reservedConnections = reservedConnections;
	}

	public boolean isFailOnMisconfiguration() {
		return this.failOnMisconfiguration;
	}

	public void setFailOnMisconfiguration(boolean failOnMisconfiguration) {
		this.failOnMisconfiguration = failOnMisconfiguration;
	}

	/**
	 * Check the connection math's counts once they are bound.
	 * @throws PoolConfigurationException if a count is out of range
	 */
	@Override
	public void afterPropertiesSet() {
		if (this.instances < 1) {
			throw new PoolConfigurationException("pool.instances", this.instances, "a whole number, 1 or more",
					"Set pool.instances to how many replicas of the application share the database.");
		}
		if (this.reservedConnections < 0) {
			throw new PoolConfigurationException("pool.reserved-connections", this.reservedConnections,
					"a whole number, 0 or more",
					"Set pool.reserved-connections to the server connections to keep free for admin tools (default 10).");
		}
	}

}
