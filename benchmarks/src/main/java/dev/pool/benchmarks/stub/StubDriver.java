package dev.pool.benchmarks.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A JDBC driver whose connections do nothing, for {@code jdbc:stub:} URLs: with it, a
 * benchmark times only the pool's own code, as HikariCP's own benchmark does.
 */
public final class StubDriver implements Driver {

	/** The URL prefix this driver accepts. */
	public static final String PREFIX = "jdbc:stub:";

	static {
		try {
			DriverManager.registerDriver(new StubDriver());
		}
		catch (SQLException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@Override
	public Connection connect(String url, Properties info) {
		return acceptsURL(url) ? new StubConnection() : null;
	}

	@Override
	public boolean acceptsURL(String url) {
		return url != null && url.startsWith(PREFIX);
	}

	@Override
	public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
		return new DriverPropertyInfo[0];
	}

	@Override
	public int getMajorVersion() {
		return 1;
	}

	@Override
	public int getMinorVersion() {
		return 0;
	}

	@Override
	public boolean jdbcCompliant() {
		return false;
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		throw new SQLFeatureNotSupportedException();
	}

}
