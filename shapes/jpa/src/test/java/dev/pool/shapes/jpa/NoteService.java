package dev.pool.shapes.jpa;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.ReadWriteDataSource;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A read-only service call that says which pool served it: the pool with a connection in
 * use while the transaction runs and, when {@code shape.served-by-query} is set (on
 * PostgreSQL: the connection's {@code application_name}), what the database says.
 */
@Service
class NoteService {

	private final NoteRepository notes;

	private final ReadWriteDataSource pools;

	private final String servedByQuery;

	@PersistenceContext
	private EntityManager entityManager;

	NoteService(NoteRepository notes, ReadWriteDataSource pools,
			@Value("${shape.served-by-query:}") String servedByQuery) {
		this.notes = notes;
		this.pools = pools;
		this.servedByQuery = servedByQuery;
	}

	@Transactional(readOnly = true)
	Reading read() {
		long count = this.notes.count();
		String pool = poolInUse();
		String database = this.servedByQuery.isEmpty() ? null
				: String.valueOf(this.entityManager.createNativeQuery(this.servedByQuery).getSingleResult());
		return new Reading(count, pool, database);
	}

	private String poolInUse() {
		int write = active(this.pools.getWritePool());
		int read = active(this.pools.getReadPool());
		return "write=" + write + ",read=" + read;
	}

	private static int active(HikariDataSource pool) {
		return pool.getHikariPoolMXBean().getActiveConnections();
	}

	record Reading(long count, String pools, String servedBy) {

	}

}
