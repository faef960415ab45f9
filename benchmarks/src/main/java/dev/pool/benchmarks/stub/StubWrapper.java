package dev.pool.benchmarks.stub;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * {@link Wrapper} for the stub's objects: they wrap nothing and unwrap to themselves.
 */
abstract class StubWrapper implements Wrapper {

	@Override
	public <T> T unwrap(Class<T> type) throws SQLException {
		if (type.isInstance(this)) {
			return type.cast(this);
		}
		throw new SQLException("not a wrapper for " + type.getName());
	}

	@Override
	public boolean isWrapperFor(Class<?> type) {
		return type.isInstance(this);
	}

}
