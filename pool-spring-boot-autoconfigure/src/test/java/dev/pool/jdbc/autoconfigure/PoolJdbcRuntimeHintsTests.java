package dev.pool.jdbc.autoconfigure;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC pool's hints for a native image, found the way Spring's AOT processing finds
 * them ({@code META-INF/spring/aot.factories}).
 */
class PoolJdbcRuntimeHintsTests {

	@Test
	void hikariConfigFieldsCanBeCopiedInANativeImage() {
		RuntimeHints hints = new RuntimeHints();
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, getClass().getClassLoader()));
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(HikariConfig.class)
			.withMemberCategory(MemberCategory.ACCESS_DECLARED_FIELDS)).accepts(hints);
	}

	@Test
	void pgjdbcFieldsReadByThePrePingAreRegistered() throws Exception {
		RuntimeHints hints = new RuntimeHints();
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, getClass().getClassLoader()));
		assertThat(RuntimeHintsPredicates.reflection()
			.onField(org.postgresql.core.QueryExecutorBase.class.getDeclaredField("pgStream"))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onField(org.postgresql.core.PGStream.class.getDeclaredField("pgInput"))).accepts(hints);
	}

}
