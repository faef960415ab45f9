package dev.pool.autoconfigure;

import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import dev.pool.jdbc.autoconfigure.PoolJdbcAutoConfiguration;
import dev.pool.jdbc.autoconfigure.PoolProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad {@code pool.*} values stop start-up with a report that names the key, the value,
 * what is allowed and what to do.
 */
class PoolConfigurationFailureAnalyzerTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("app.db"));

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			pool.size                      | -1      | -1      | 0 or more              |
			pool.size                      | banana  | banana  | 'auto'                 |
			pool.size                      | 0       | 0       | 1 or more              | pool.overflow=0
			pool.overflow                  | -2      | -2      | 0 or more              |
			pool.recycle                   | 10s     | 10s     | 30s or more            |
			pool.recycle                   | 0       | 0       | 30s or more            |
			pool.acquire-timeout           | 100ms   | 100ms   | 250ms or more          |
			pool.overflow-idle-timeout     | 5       | 5s      | 10s or more            |
			pool.leak-detection-threshold  | 1s      | 1s      | from 2s                |
			pool.overflow-idle-timeout     | 5m      | 5m      | at least 1s below pool.recycle | pool.recycle=5m
			pool.profile                   | turbo   | turbo   | balanced, memory-efficient, high-throughput, cloud |
			pool.datasources.app.profile   | turbo   | turbo   | balanced, memory-efficient, high-throughput, cloud |
			pool.pre-ping-check            | always  | always  | auto, round-trip       |
			pool.instances                 | 0       | 0       | 1 or more              |
			pool.reserved-connections      | -1      | -1      | 0 or more              |
			pool.effective-spindles        | -1      | -1      | 0 or more              |
			""")
	void badValueFailsStartUpNamingKeyValueAndWhatIsAllowed(String key, String value, String shown, String allowed,
			String others) {
		List<String> properties = new ArrayList<>(List.of(key + "=" + value));
		if (others != null) {
			properties.addAll(List.of(others.split(",")));
		}
		this.runner.withPropertyValues(properties.toArray(String[]::new)).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains(key).contains("'" + shown + "'").contains(allowed);
			assertThat(analysis.getAction()).contains(key);
		});
	}

	@Test
	void conflictingPoolAndHikariKeysNameBothKeys() {
		this.runner.withPropertyValues("pool.recycle=10m", "spring.datasource.hikari.max-lifetime=1200000")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("pool.recycle")
					.contains("spring.datasource.hikari.max-lifetime")
					.contains("10m")
					.contains("20m");
				assertThat(analysis.getAction())
					.contains("Remove one of pool.recycle and spring.datasource.hikari.max-lifetime");
			});
	}

	@Test
	void conflictingOverflowAndHikariMaximumNameBothKeys() {
		this.runner
			.withPropertyValues("pool.size=5", "pool.overflow=5", "spring.datasource.hikari.maximum-pool-size=12")
			.run((context) -> {
				FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("pool.overflow")
					.contains("spring.datasource.hikari.maximum-pool-size")
					.contains("12");
			});
	}

	@Test
	void badHikariValueIsReportedUnderItsOwnKey() {
		this.runner.withPropertyValues("spring.datasource.hikari.max-lifetime=5000").run((context) -> {
			FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("spring.datasource.hikari.max-lifetime").contains("'5s'");
		});
	}

	@ParameterizedTest
	@CsvSource({ "memory-efficient, MEMORY_EFFICIENT", "MEMORY_EFFICIENT, MEMORY_EFFICIENT",
			"memoryEfficient, MEMORY_EFFICIENT", "High-Throughput, HIGH_THROUGHPUT", "cloud, CLOUD" })
	void profileTakesSpringBootsRelaxedSpellings(String value, String profile) {
		this.runner.withPropertyValues("pool.profile=" + value).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PoolProperties.class).getProfile()).hasToString(profile);
		});
	}

	@Test
	void anUnknownProfileIsReportedByTheStarterBeforeSpringBootsOwnAnalysis() {
		this.runner.withPropertyValues("pool.profile=turbo").run((context) -> {
			// Spring Boot's FailureAnalyzers sorts the analyzers and takes the first
			// analysis; its own bind analysis would list the constants in upper case.
			FailureAnalyzer boots = (FailureAnalyzer) BeanUtils.instantiateClass(
					ClassUtils.forName("org.springframework.boot.diagnostics.analyzer.BindFailureAnalyzer", null)
						.getDeclaredConstructor());
			assertThat(boots.analyze(context.getStartupFailure())).isNotNull();
			List<FailureAnalyzer> analyzers = new ArrayList<>(List.of(boots, new PoolEnumBindFailureAnalyzer()));
			AnnotationAwareOrderComparator.sort(analyzers);
			FailureAnalysis first = analyzers.get(0).analyze(context.getStartupFailure());
			assertThat(first).isNotNull();
			assertThat(first.getDescription()).contains("pool.profile")
				.contains("'turbo'")
				.contains("one of balanced, memory-efficient, high-throughput, cloud");
			assertThat(first.getAction()).startsWith("Set pool.profile to one of balanced");
		});
	}

	@Test
	void analyzerIgnoresOtherFailures() {
		assertThat(new PoolConfigurationFailureAnalyzer().analyze(new IllegalStateException("not ours"))).isNull();
		assertThat(new PoolEnumBindFailureAnalyzer().analyze(new IllegalStateException("not ours"))).isNull();
	}

	@Test
	void analyzerIsRegistered() throws Exception {
		List<String> analyzers = new ArrayList<>();
		for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
			Properties factories = PropertiesLoaderUtils.loadProperties(new UrlResource(url));
			analyzers.add(factories.getProperty(FailureAnalyzer.class.getName(), ""));
		}
		assertThat(analyzers).anyMatch((names) -> names.contains(PoolConfigurationFailureAnalyzer.class.getName()));
		assertThat(analyzers).anyMatch((names) -> names.contains(PoolEnumBindFailureAnalyzer.class.getName()));
	}

}
