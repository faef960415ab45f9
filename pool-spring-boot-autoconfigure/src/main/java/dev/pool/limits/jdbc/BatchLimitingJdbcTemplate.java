package dev.pool.limits.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.InterruptibleBatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.util.Assert;

/**
 * A {@link JdbcTemplate} that sends batch updates in chunks of at most
 * {@code pool.limits.max-batch-size} statements. Every {@code batchUpdate} method splits
 * (so do {@code NamedParameterJdbcTemplate} and {@code JdbcClient} on top of it); the
 * result is the same array, in the same order, as one large batch would give.
 * <p>
 * Each chunk is one JDBC batch ({@code executeBatch}). Inside a transaction all chunks
 * run on the transaction's connection and commit or roll back together; outside one, each
 * chunk takes a connection and commits on its own, as separate {@code batchUpdate} calls
 * would.
 */
public class BatchLimitingJdbcTemplate extends JdbcTemplate {

	private final int maxBatchSize;

	/**
	 * Create a new template.
	 * @param dataSource the DataSource
	 * @param maxBatchSize the most statements sent in one JDBC batch
	 */
	public BatchLimitingJdbcTemplate(DataSource dataSource, int maxBatchSize) {
		super(dataSource);
		Assert.isTrue(maxBatchSize > 0, "maxBatchSize must be positive");
		this.maxBatchSize = maxBatchSize;
	}

	/**
	 * Create a new template with the DataSource and settings of another: its fetch size,
	 * maximum rows, query timeout, result handling, warnings and exception translator.
	 * @param template the template whose settings to take, such as Spring Boot's
	 * @param maxBatchSize the most statements sent in one JDBC batch
	 */
	public BatchLimitingJdbcTemplate(JdbcTemplate template, int maxBatchSize) {
		super(template.getDataSource(), template.isLazyInit());
		Assert.isTrue(maxBatchSize > 0, "maxBatchSize must be positive");
		this.maxBatchSize = maxBatchSize;
		setExceptionTranslator(template.getExceptionTranslator());
		setIgnoreWarnings(template.isIgnoreWarnings());
		setFetchSize(template.getFetchSize());
		setMaxRows(template.getMaxRows());
		setQueryTimeout(template.getQueryTimeout());
		setSkipResultsProcessing(template.isSkipResultsProcessing());
		setSkipUndeclaredResults(template.isSkipUndeclaredResults());
		setResultsMapCaseInsensitive(template.isResultsMapCaseInsensitive());
	}

	public int getMaxBatchSize() {
		return this.maxBatchSize;
	}

	@Override
	public int[] batchUpdate(String... sql) throws DataAccessException {
		if (sql.length <= this.maxBatchSize) {
			return super.batchUpdate(sql);
		}
		List<int[]> results = new ArrayList<>();
		for (int from = 0; from < sql.length; from += this.maxBatchSize) {
			results
				.add(super.batchUpdate(Arrays.copyOfRange(sql, from, Math.min(sql.length, from + this.maxBatchSize))));
		}
		return concat(results);
	}

	@Override
	public int[] batchUpdate(String sql, BatchPreparedStatementSetter pss) throws DataAccessException {
		if (pss.getBatchSize() <= this.maxBatchSize) {
			return super.batchUpdate(sql, pss);
		}
		List<int[]> results = new ArrayList<>();
		for (Chunk chunk : chunks(pss)) {
			int[] result = super.batchUpdate(sql, chunk);
			results.add(result);
			if (chunk.isExhausted(result)) {
				break;
			}
		}
		return concat(results);
	}

	@Override
	public int[] batchUpdate(PreparedStatementCreator psc, BatchPreparedStatementSetter pss,
			KeyHolder generatedKeyHolder) throws DataAccessException {
		if (pss.getBatchSize() <= this.maxBatchSize) {
			return super.batchUpdate(psc, pss, generatedKeyHolder);
		}
		generatedKeyHolder.getKeyList().clear();
		List<int[]> results = new ArrayList<>();
		for (Chunk chunk : chunks(pss)) {
			KeyHolder chunkKeys = new GeneratedKeyHolder();
			int[] result = super.batchUpdate(psc, chunk, chunkKeys);
			results.add(result);
			generatedKeyHolder.getKeyList().addAll(chunkKeys.getKeyList());
			if (chunk.isExhausted(result)) {
				break;
			}
		}
		return concat(results);
	}

	/**
	 * Send the batch in chunks of {@code batchSize}, or of the limit if that is smaller.
	 */
	@Override
	public <T> int[][] batchUpdate(String sql, Collection<T> batchArgs, int batchSize,
			ParameterizedPreparedStatementSetter<T> pss) throws DataAccessException {
		return super.batchUpdate(sql, batchArgs, Math.min(batchSize, this.maxBatchSize), pss);
	}

	private List<Chunk> chunks(BatchPreparedStatementSetter pss) {
		int size = pss.getBatchSize();
		List<Chunk> chunks = new ArrayList<>();
		for (int from = 0; from < size; from += this.maxBatchSize) {
			chunks.add((pss instanceof InterruptibleBatchPreparedStatementSetter interruptible)
					? new InterruptibleChunk(interruptible, from, Math.min(this.maxBatchSize, size - from))
					: new Chunk(pss, from, Math.min(this.maxBatchSize, size - from)));
		}
		return chunks;
	}

	private static int[] concat(List<int[]> results) {
		return results.stream().flatMapToInt(Arrays::stream).toArray();
	}

	/**
	 * A slice of a batch: statements {@code offset} to {@code offset + size - 1}.
	 */
	private static class Chunk implements BatchPreparedStatementSetter {

		private final BatchPreparedStatementSetter batch;

		final int offset;

		private final int size;

		Chunk(BatchPreparedStatementSetter batch, int offset, int size) {
			this.batch = batch;
			this.offset = offset;
			this.size = size;
		}

		@Override
		public void setValues(PreparedStatement ps, int i) throws SQLException {
			this.batch.setValues(ps, this.offset + i);
		}

		@Override
		public int getBatchSize() {
			return this.size;
		}

		boolean isExhausted(int[] result) {
			return false;
		}

	}

	/**
	 * A slice of a batch whose end the setter decides.
	 */
	private static final class InterruptibleChunk extends Chunk implements InterruptibleBatchPreparedStatementSetter {

		private final InterruptibleBatchPreparedStatementSetter batch;

		InterruptibleChunk(InterruptibleBatchPreparedStatementSetter batch, int offset, int size) {
			super(batch, offset, size);
			this.batch = batch;
		}

		@Override
		public boolean isBatchExhausted(int i) {
			return this.batch.isBatchExhausted(this.offset + i);
		}

		@Override
		boolean isExhausted(int[] result) {
			return result.length < getBatchSize();
		}

	}

}
