package dev.pool.jdbc;

import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * One HikariCP pool of the application and its role: {@code primary}, {@code read}, or
 * for SQLite {@code writer} and {@code reader}. The server checks and health's probes see
 * the application's pools through this; what each pool runs with is in {@link JdbcPools}.
 *
 * @param name the pool's role
 * @param dataSource the pool
 */
public record JdbcPool(String name, HikariDataSource dataSource) {

	/** Role of the application's only pool. */
	public static final String PRIMARY = "primary";

	/** Role of the read-only pool on {@code pool.read.url}, beside the primary pool. */
	public static final String READ = "read";

	/** Role of the one writer connection of a SQLite file. */
	public static final String WRITER = "writer";

	/** Role of the read-only pool of a SQLite file, beside the writer. */
	public static final String READER = "reader";

	/**
	 * The pools behind a DataSource bean.
	 * @param dataSource the application's DataSource
	 * @return its pools, empty when it is not (and does not wrap) a HikariDataSource, and
	 * for a routing DataSource, whose targets {@link JdbcDataSources} lists
	 */
	public static List<JdbcPool> of(DataSource dataSource) {
		ReadWriteDataSource pair = ReadWriteDataSource.find(dataSource);
		if (pair != null) {
			return List.of(new JdbcPool(pair.getWriteName(), pair.getWritePool()),
					new JdbcPool(pair.getReadName(), pair.getReadPool()));
		}
		HikariDataSource hikari = unwrap(dataSource, HikariDataSource.class);
		return (hikari != null) ? List.of(new JdbcPool(PRIMARY, hikari)) : List.of();
	}

	/**
	 * The object of a type a DataSource is or wraps. A routing DataSource is never asked
	 * ({@code isWrapperFor} would ask it for the target of the current lookup key, which
	 * it may not have): its targets are seen through {@link JdbcDataSources}.
	 * @param <T> the type
	 * @param dataSource any DataSource
	 * @param type the type looked for
	 * @return the object, or null
	 */
	static <T> @Nullable T unwrap(DataSource dataSource, Class<T> type) {
		if (type.isInstance(dataSource)) {
			return type.cast(dataSource);
		}
		if (dataSource instanceof AbstractRoutingDataSource) {
			return null;
		}
		if (dataSource instanceof DelegatingDataSource delegating) {
			DataSource target = delegating.getTargetDataSource();
			return (target != null) ? unwrap(target, type) : null;
		}
		try {
			return dataSource.isWrapperFor(type) ? dataSource.unwrap(type) : null;
		}
		catch (Exception ex) {
			return null;
		}
	}

}
