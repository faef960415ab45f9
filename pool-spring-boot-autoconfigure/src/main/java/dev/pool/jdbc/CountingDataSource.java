package dev.pool.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;

/**
 * The DataSource HikariCP opens a pool's connections with, in front of the one it would
 * use (HikariCP's own {@link DriverDataSource} for a {@code jdbcUrl}, made from the
 * pool's configuration when the pool starts): it tells {@link RotatingCredentials} of
 * every connection that failed, so that refused credentials are counted. Only new
 * connections pass here, never a borrow; the connections are the driver's own.
 */
final class CountingDataSource implements DataSource {

	private final HikariDataSource pool;

	private final RotatingCredentials credentials;

	private volatile DataSource delegate;

	private CountingDataSource(HikariDataSource pool, DataSource delegate, RotatingCredentials credentials) {
		this.pool = pool;
		this.delegate = delegate;
		this.credentials = credentials;
	}

	/**
	 * Put a counting DataSource in front of a pool that opens its connections with a
	 * {@code jdbcUrl} or a DataSource object; a pool configured by DataSource class name
	 * or JNDI is left as it is (its refusals are not counted).
	 */
	static void install(HikariDataSource pool, RotatingCredentials credentials) {
		if (pool.getDataSource() instanceof CountingDataSource) {
			return;
		}
		if (pool.getDataSource() != null) {
			pool.setDataSource(new CountingDataSource(pool, pool.getDataSource(), credentials));
		}
		else if (pool.getJdbcUrl() != null && pool.getDataSourceClassName() == null
				&& pool.getDataSourceJNDI() == null) {
			pool.setDataSource(new CountingDataSource(pool, null, credentials));
		}
	}

	/**
	 * HikariCP's own DataSource for the pool's URL, made from the configuration as it is
	 * when the pool starts (after every customizer ran).
	 */
	private DataSource delegate() {
		DataSource delegate = this.delegate;
		if (delegate == null) {
			synchronized (this) {
				delegate = this.delegate;
				if (delegate == null) {
					delegate = new DriverDataSource(this.pool.getJdbcUrl(), this.pool.getDriverClassName(),
							this.pool.getDataSourceProperties(), this.pool.getUsername(), this.pool.getPassword());
					this.delegate = delegate;
				}
			}
		}
		return delegate;
	}

	@Override
	public Connection getConnection() throws SQLException {
		try {
			return delegate().getConnection();
		}
		catch (SQLException ex) {
			this.credentials.connectionFailed(ex);
			throw ex;
		}
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		try {
			return delegate().getConnection(username, password);
		}
		catch (SQLException ex) {
			this.credentials.connectionFailed(ex);
			throw ex;
		}
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return delegate().getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		delegate().setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		delegate().setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return delegate().getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return delegate().getParentLogger();
	}

	@Override
	public <T> T unwrap(Class<T> type) throws SQLException {
		return type.isInstance(this) ? type.cast(this) : delegate().unwrap(type);
	}

	@Override
	public boolean isWrapperFor(Class<?> type) throws SQLException {
		return type.isInstance(this) || delegate().isWrapperFor(type);
	}

	@Override
	public String toString() {
		return "CountingDataSource[" + this.credentials.source() + "]";
	}

}
