package dev.pool.autoconfigure;

/**
 * A {@code pool.*} value (or a pair of values) that the starter will not start with. It
 * names the key, the value, what is allowed and what to do; the starter's FailureAnalyzer
 * prints exactly that.
 */
public class PoolConfigurationException extends RuntimeException {

	private final String key;

	private final String value;

	private final String allowed;

	private final String action;

	/**
	 * Create a new exception.
	 * @param key the key (or keys) at fault, for example {@code pool.recycle}
	 * @param value the offending value as written (never a credential)
	 * @param allowed what the key accepts
	 * @param action what to do about it
	 */
	public PoolConfigurationException(String key, Object value, String allowed, String action) {
		super("Invalid value '" + value + "' for " + key + ": allowed is " + allowed + ". " + action);
		this.key = key;
		this.value = String.valueOf(value);
		this.allowed = allowed;
		this.action = action;
	}

	public String getKey() {
		return this.key;
	}

	public String getValue() {
		return this.value;
	}

	public String getAllowed() {
		return this.allowed;
	}

	public String getAction() {
		return this.action;
	}

}
