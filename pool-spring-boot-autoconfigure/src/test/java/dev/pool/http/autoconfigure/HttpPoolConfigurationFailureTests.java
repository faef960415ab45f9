package dev.pool.http.autoconfigure;

import java.util.List;

import dev.pool.autoconfigure.FailureAnalyses;
import dev.pool.autoconfigure.PoolConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad {@code pool.http.*} values stop start-up with a {@link PoolConfigurationException}
 * (reported by the starter's FailureAnalyzer) that names the key, with the host's name
 * for per-host keys, the value, what is allowed and what to do.
 */
class HttpPoolConfigurationFailureTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(WebClientAutoConfigurations.WITH_POOL);

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					pool.http.max-connections                            | 0       | 0       | 1 or more
					pool.http.max-connections                            | -5      | -5      | 1 or more
					pool.http.pending-acquire-max-count                  | -1      | -1      | 0 or more
					pool.http.pending-acquire-timeout                    | 0       | 0       | above 0
					pool.http.max-idle-time                              | 10m     | 10m     | at most pool.http.max-life-time (5m)
					pool.http.max-life-time                              | -1      | -1s     | above 0
					pool.http.evict-in-background                        | -1      | -1s     | 0 (sweep only when
					pool.http.lease-strategy                             | newest  | newest  | lifo or fifo
					pool.http.connect-timeout                            | 0       | 0       | above 0
					pool.http.response-timeout                           | -2      | -2s     | above 0
					pool.http.hosts.billing.max-connections              | -1      | -1      | 1 or more
					pool.http.hosts.billing.max-idle-time                | 6m      | 6m      | at most pool.http.max-life-time (5m)
					pool.http.hosts.billing.lease-strategy               | random  | random  | lifo or fifo
					pool.http.hosts.billing.circuit-breaker.failure-rate-threshold | 120 | 120.0 | above 0, at most 100
					pool.http.hosts.billing.circuit-breaker.minimum-number-of-calls | 0 | 0     | 1 or more
					pool.http.hosts.billing.circuit-breaker.sliding-window-size | 5  | 5       | at least pool.http.hosts.billing.circuit-breaker.minimum-number-of-calls (10)
					pool.http.hosts.billing.circuit-breaker.wait-duration-in-open-state | 0 | 0 | above 0
					pool.http.hosts.billing.bulkhead.max-concurrent-calls | 0      | 0       | 1 or more
					""")
	void badValueFailsStartUpNamingKeyValueAndWhatIsAllowed(String key, String value, String shown, String allowed) {
		this.runner.withPropertyValues(key + "=" + value, "pool.http.hosts.billing.base-url=http://127.0.0.1:9")
			.run((context) -> {
				PoolConfigurationException failure = FailureAnalyses.failure(context);
				assertThat(failure.getKey()).isEqualTo(key);
				assertThat(failure.getValue()).isEqualTo(shown);
				assertThat(failure.getAllowed()).contains(allowed);
				assertThat(failure.getAction()).contains(key);
			});
	}

	@ParameterizedTest(name = "base-url={0}")
	@CsvSource(delimiter = '|', textBlock = """
			ftp://files.example.com      | ftp://files.example.com
			not a url                    | not a url
			/relative/path               | /relative/path
			http://user:s3cret@:80/x y   | http://user:******@:80/x y
			""")
	void malformedBaseUrlFailsWithoutShowingCredentials(String url, String shown) {
		this.runner.withPropertyValues("pool.http.hosts.billing.base-url=" + url).run((context) -> {
			PoolConfigurationException failure = FailureAnalyses.failure(context);
			assertThat(failure.getKey()).isEqualTo("pool.http.hosts.billing.base-url");
			assertThat(failure.getValue()).isEqualTo(shown).doesNotContain("s3cret");
			assertThat(failure.getMessage()).doesNotContain("s3cret");
			assertThat(failure.getAllowed()).contains("absolute http or https URL");
		});
	}

	@Test
	void hostWithoutBaseUrlFails() {
		this.runner.withPropertyValues("pool.http.hosts.billing.max-connections=3").run((context) -> {
			PoolConfigurationException failure = FailureAnalyses.failure(context);
			assertThat(failure.getKey()).isEqualTo("pool.http.hosts.billing.base-url");
			assertThat(failure.getAction()).contains("Set pool.http.hosts.billing.base-url");
		});
	}

	@Test
	void hostNamedDefaultFails() {
		this.runner.withPropertyValues("pool.http.hosts.default.base-url=http://127.0.0.1:9").run((context) -> {
			PoolConfigurationException failure = FailureAnalyses.failure(context);
			assertThat(failure.getKey()).isEqualTo("pool.http.hosts.default");
			assertThat(failure.getAllowed()).contains("any name but 'default'");
		});
	}

	@Test
	void conflictingPoolAndSpringHttpClientsTimeoutsNameBothKeys() {
		this.runner.withPropertyValues("pool.http.connect-timeout=2s", "spring.http.clients.connect-timeout=3s")
			.run((context) -> {
				PoolConfigurationException failure = FailureAnalyses.failure(context);
				assertThat(failure.getKey())
					.isEqualTo("pool.http.connect-timeout and spring.http.clients.connect-timeout");
				assertThat(failure.getValue()).contains("2s").contains("3s");
				assertThat(failure.getAction())
					.contains("Remove one of pool.http.connect-timeout and spring.http.clients.connect-timeout");
			});
	}

	@Test
	void credentialsInBaseUrlNeverReachTheLogLine() {
		this.runner.withPropertyValues("pool.http.hosts.billing.base-url=https://svc:s3cret@api.example.com/v1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HttpPoolSettings settings = context.getBean(ConnectionPools.class).settings().get("billing");
				assertThat(List.of(settings.summary(), settings.toString(), settings.maskedBaseUrl()))
					.allSatisfy((text) -> assertThat(text).doesNotContain("s3cret")
						.contains("https://svc:******@api.example.com/v1"));
			});
	}

}
