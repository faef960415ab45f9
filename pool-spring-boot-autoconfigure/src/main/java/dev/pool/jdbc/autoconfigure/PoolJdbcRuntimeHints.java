package dev.pool.jdbc.autoconfigure;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What the JDBC pool reaches reflectively, for a native image: the starter makes its
 * pools from Spring Boot's with HikariCP's {@code HikariConfig.copyStateTo}, which reads
 * and writes every declared field of {@code HikariConfig}; its pre-ping on PostgreSQL
 * reads pgjdbc's input stream through two of pgjdbc's fields.
 */
class PoolJdbcRuntimeHints implements RuntimeHintsRegistrar {

	static final String HIKARI_CONFIG = "com.zaxxer.hikari.HikariConfig";

	static final String PGJDBC_QUERY_EXECUTOR = "org.postgresql.core.QueryExecutorBase";

	static final String PGJDBC_STREAM = "org.postgresql.core.PGStream";

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		if (ClassUtils.isPresent(HIKARI_CONFIG, classLoader)) {
			hints.reflection().registerType(TypeReference.of(HIKARI_CONFIG), MemberCategory.ACCESS_DECLARED_FIELDS);
		}
		if (ClassUtils.isPresent(PGJDBC_STREAM, classLoader)) {
			hints.reflection()
				.registerType(TypeReference.of(PGJDBC_QUERY_EXECUTOR), (type) -> type.withField("pgStream"))
				.registerType(TypeReference.of(PGJDBC_STREAM), (type) -> type.withField("pgInput"));
		}
	}

}
