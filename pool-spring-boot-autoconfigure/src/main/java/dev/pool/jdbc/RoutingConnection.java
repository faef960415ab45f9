package dev.pool.jdbc;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.ConnectionProxy;

/**
 * The connection a {@link ReadWriteDataSource} hands out: it takes a physical connection
 * from the read pool or the write pool only when it is first needed (a statement, the
 * metadata), once the transaction manager has said whether the transaction is read-only.
 * Until then it keeps what the transaction manager sets (read-only, auto-commit,
 * isolation, holdability, catalog, schema) and applies it to the physical connection.
 * <p>
 * The same contract as Spring's {@code LazyConnectionDataSourceProxy} with a read-only
 * DataSource, written out as plain calls: no dynamic proxy and no reflective call per
 * statement. Not thread-safe, like any JDBC connection.
 * <p>
 * One logical connection may span several transactions: Hibernate keeps the connection of
 * its session until the session closes, and with open-in-view the session lives as long
 * as the web request. So the pool is chosen again when a transaction begins
 * ({@code setAutoCommit(false)} on a connection in auto-commit mode, which is how
 * Spring's transaction managers and Hibernate begin one): if the transaction's read-only
 * flag asks for the other pool, the physical connection goes back to its pool (no
 * transaction is open on it in auto-commit mode) and the next statement takes one from
 * the right pool, with the settings of this connection applied. Statements outside a
 * transaction run on the physical connection held (the write pool when none is). Nothing
 * is added per statement.
 */
final class RoutingConnection implements ConnectionProxy {

	private final ReadWriteDataSource pools;

	private Connection target;

	/** Whether {@link #target} came from the read pool. */
	private boolean targetReadOnly;

	/**
	 * The read-only flag the transaction manager set last: the pool the next asks for.
	 */
	private boolean readOnly;

	private Boolean autoCommit;

	private Integer transactionIsolation;

	private Integer holdability;

	private String catalog;

	private String schema;

	private boolean closed;

	RoutingConnection(ReadWriteDataSource pools) {
		this.pools = pools;
	}

	@Override
	public Connection getTargetConnection() {
		try {
			return target();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not get a connection from " + this.pools, ex);
		}
	}

	private Connection target() throws SQLException {
		Connection target = this.target;
		return (target != null) ? target : connect();
	}

	private Connection connect() throws SQLException {
		if (this.closed) {
			throw new SQLException("Illegal operation: connection is closed");
		}
		boolean readOnly = this.readOnly;
		DataSource pool = readOnly ? this.pools.getReadPool() : this.pools.getWritePool();
		Connection target = pool.getConnection();
		try {
			if (this.catalog != null) {
				target.setCatalog(this.catalog);
			}
			if (this.schema != null) {
				target.setSchema(this.schema);
			}
			if (this.holdability != null) {
				target.setHoldability(this.holdability);
			}
			if (this.transactionIsolation != null
					&& this.transactionIsolation != this.pools.defaultTransactionIsolation(target)) {
				target.setTransactionIsolation(this.transactionIsolation);
			}
			if (this.autoCommit != null && this.autoCommit != target.getAutoCommit()) {
				target.setAutoCommit(this.autoCommit);
			}
		}
		catch (SQLException | RuntimeException ex) {
			target.close();
			throw ex;
		}
		this.target = target;
		this.targetReadOnly = readOnly;
		return target;
	}

	/**
	 * Give the physical connection back to its pool when a transaction that begins asks
	 * for the other pool and no transaction is open on it (auto-commit mode).
	 * @return whether it was given back
	 */
	private boolean releaseForOtherPool() throws SQLException {
		Connection target = this.target;
		if (target == null || this.targetReadOnly == this.readOnly || !target.getAutoCommit()) {
			return false;
		}
		this.target = null;
		target.close();
		return true;
	}

	// What the transaction manager sets: kept, and applied to every physical connection
	// this one takes.

	@Override
	public void setReadOnly(boolean readOnly) throws SQLException {
		// The pool decides: a read pool's connections are opened read-only, a write
		// pool's are not. The flag chooses the pool of the next physical connection;
		// one held is changed when a transaction begins (setAutoCommit(false)).
		this.readOnly = readOnly;
	}

	@Override
	public boolean isReadOnly() throws SQLException {
		return (this.target != null) ? this.target.isReadOnly() : this.readOnly;
	}

	@Override
	public void setAutoCommit(boolean autoCommit) throws SQLException {
		if (this.target != null && (autoCommit || !releaseForOtherPool())) {
			this.target.setAutoCommit(autoCommit);
		}
		this.autoCommit = autoCommit;
	}

	@Override
	public boolean getAutoCommit() throws SQLException {
		if (this.target != null) {
			return this.target.getAutoCommit();
		}
		return (this.autoCommit != null) ? this.autoCommit : this.pools.getWritePool().isAutoCommit();
	}

	@Override
	public void setTransactionIsolation(int level) throws SQLException {
		if (this.target != null) {
			this.target.setTransactionIsolation(level);
		}
		this.transactionIsolation = level;
	}

	@Override
	public int getTransactionIsolation() throws SQLException {
		if (this.target == null && this.transactionIsolation != null) {
			return this.transactionIsolation;
		}
		return target().getTransactionIsolation();
	}

	@Override
	public void setHoldability(int holdability) throws SQLException {
		if (this.target != null) {
			this.target.setHoldability(holdability);
		}
		this.holdability = holdability;
	}

	@Override
	public int getHoldability() throws SQLException {
		if (this.target == null && this.holdability != null) {
			return this.holdability;
		}
		return target().getHoldability();
	}

	@Override
	public void setCatalog(String catalog) throws SQLException {
		if (this.target != null) {
			this.target.setCatalog(catalog);
		}
		this.catalog = catalog;
	}

	@Override
	public String getCatalog() throws SQLException {
		if (this.target == null && this.catalog != null) {
			return this.catalog;
		}
		return target().getCatalog();
	}

	@Override
	public void setSchema(String schema) throws SQLException {
		if (this.target != null) {
			this.target.setSchema(schema);
		}
		this.schema = schema;
	}

	@Override
	public String getSchema() throws SQLException {
		if (this.target == null && this.schema != null) {
			return this.schema;
		}
		return target().getSchema();
	}

	// Nothing to do before a statement ran.

	@Override
	public void commit() throws SQLException {
		if (this.target != null) {
			this.target.commit();
		}
	}

	@Override
	public void rollback() throws SQLException {
		if (this.target != null && !this.target.isClosed()) {
			this.target.rollback();
		}
	}

	@Override
	public SQLWarning getWarnings() throws SQLException {
		return (this.target != null) ? this.target.getWarnings() : null;
	}

	@Override
	public void clearWarnings() throws SQLException {
		if (this.target != null) {
			this.target.clearWarnings();
		}
	}

	@Override
	public void close() throws SQLException {
		this.closed = true;
		if (this.target != null) {
			this.target.close();
		}
	}

	@Override
	public boolean isClosed() throws SQLException {
		return (this.target != null) ? this.target.isClosed() : this.closed;
	}

	@Override
	public boolean equals(Object other) {
		return this == other;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this);
	}

	@Override
	public String toString() {
		return "RoutingConnection[" + ((this.target != null) ? this.target : "not connected to " + this.pools) + "]";
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return iface.isInstance(this) ? (T) this : target().unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || target().isWrapperFor(iface);
	}

	// Everything else needs the physical connection.

	@Override
	public Statement createStatement() throws SQLException {
		return target().createStatement();
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
		return target().createStatement(resultSetType, resultSetConcurrency);
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
			throws SQLException {
		return target().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
	}

	@Override
	public PreparedStatement prepareStatement(String sql) throws SQLException {
		return target().prepareStatement(sql);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
			throws SQLException {
		return target().prepareStatement(sql, resultSetType, resultSetConcurrency);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		return target().prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
		return target().prepareStatement(sql, autoGeneratedKeys);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
		return target().prepareStatement(sql, columnIndexes);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
		return target().prepareStatement(sql, columnNames);
	}

	@Override
	public CallableStatement prepareCall(String sql) throws SQLException {
		return target().prepareCall(sql);
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
		return target().prepareCall(sql, resultSetType, resultSetConcurrency);
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		return target().prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
	}

	@Override
	public String nativeSQL(String sql) throws SQLException {
		return target().nativeSQL(sql);
	}

	@Override
	public DatabaseMetaData getMetaData() throws SQLException {
		return target().getMetaData();
	}

	@Override
	public Map<String, Class<?>> getTypeMap() throws SQLException {
		return target().getTypeMap();
	}

	@Override
	public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
		target().setTypeMap(map);
	}

	@Override
	public Savepoint setSavepoint() throws SQLException {
		return target().setSavepoint();
	}

	@Override
	public Savepoint setSavepoint(String name) throws SQLException {
		return target().setSavepoint(name);
	}

	@Override
	public void rollback(Savepoint savepoint) throws SQLException {
		target().rollback(savepoint);
	}

	@Override
	public void releaseSavepoint(Savepoint savepoint) throws SQLException {
		target().releaseSavepoint(savepoint);
	}

	@Override
	public Clob createClob() throws SQLException {
		return target().createClob();
	}

	@Override
	public Blob createBlob() throws SQLException {
		return target().createBlob();
	}

	@Override
	public NClob createNClob() throws SQLException {
		return target().createNClob();
	}

	@Override
	public SQLXML createSQLXML() throws SQLException {
		return target().createSQLXML();
	}

	@Override
	public boolean isValid(int timeout) throws SQLException {
		return target().isValid(timeout);
	}

	@Override
	public void setClientInfo(String name, String value) throws SQLClientInfoException {
		try {
			target().setClientInfo(name, value);
		}
		catch (SQLClientInfoException ex) {
			throw ex;
		}
		catch (SQLException ex) {
			throw new SQLClientInfoException(ex.getMessage(), ex.getSQLState(), ex.getErrorCode(), Map.of(), ex);
		}
	}

	@Override
	public void setClientInfo(Properties properties) throws SQLClientInfoException {
		try {
			target().setClientInfo(properties);
		}
		catch (SQLClientInfoException ex) {
			throw ex;
		}
		catch (SQLException ex) {
			throw new SQLClientInfoException(ex.getMessage(), ex.getSQLState(), ex.getErrorCode(), Map.of(), ex);
		}
	}

	@Override
	public String getClientInfo(String name) throws SQLException {
		return target().getClientInfo(name);
	}

	@Override
	public Properties getClientInfo() throws SQLException {
		return target().getClientInfo();
	}

	@Override
	public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
		return target().createArrayOf(typeName, elements);
	}

	@Override
	public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
		return target().createStruct(typeName, attributes);
	}

	@Override
	public void abort(Executor executor) throws SQLException {
		this.closed = true;
		if (this.target != null) {
			this.target.abort(executor);
		}
	}

	@Override
	public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
		target().setNetworkTimeout(executor, milliseconds);
	}

	@Override
	public int getNetworkTimeout() throws SQLException {
		return target().getNetworkTimeout();
	}

}
