package dev.pool.limits.web;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.pool.limits.MemoryGuard;
import dev.pool.testsupport.Http;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pool.limits.max-memory} in a real Spring MVC application on 127.0.0.1: the test
 * holds byte arrays past a limit a little above the heap the application needs, and a
 * garbage collection shows it; new requests get 503 and readiness goes OUT_OF_SERVICE
 * while liveness stays UP. Once the arrays are released and a collection shows it, both
 * recover by themselves.
 */
class MemoryLimitServerTests {

	private static final long MB = 1024 * 1024;

	/**
	 * Where {@link #collectGarbage()} drops its allocations, so that none is optimised
	 * away.
	 */
	private static volatile byte[] garbage;

	@Test
	void requestsAreRefusedAndReadinessIsOutOfServiceWhileTheHeapIsOverTheLimit() {
		System.gc();
		long baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		long limit = baseline + 256 * MB;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.SERVLET)
			.properties(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.datasource.url",
					"jdbc:sqlite::memory:", "pool.limits.max-memory", (limit / MB) + "MB",
					"management.endpoint.health.probes.enabled", "true", "management.endpoint.health.show-details",
					"always"))
			.run()) {
			Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
			MemoryGuard guard = context.getBean(MemoryGuard.class);
			ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
			assertThat(guard.isOverLimit()).isFalse();
			assertThat(http.get("/hello").statusCode()).isEqualTo(200);
			assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

			List<byte[]> held = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				held.add(new byte[16 * (int) MB]);
			}
			await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
				collectGarbage();
				return guard.isOverLimit();
			});
			HttpResponse<String> refused = http.get("/hello");
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(refused.body()).contains("\"reason\":\"memory\"");
			await().atMost(10, TimeUnit.SECONDS)
				.until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
			HttpResponse<String> readiness = http.get("/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(503);
			assertThat(readiness.body()).contains("OUT_OF_SERVICE");
			assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
			assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
			HttpResponse<String> health = http.get("/actuator/health");
			assertThat(health.body()).contains("\"state\":\"OVER_LIMIT\"").contains("\"rejectedMemory\":1");
			assertThat(held).hasSize(32);

			held.clear();
			await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
				collectGarbage();
				return !guard.isOverLimit();
			});
			await().atMost(10, TimeUnit.SECONDS)
				.until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(http.get("/hello").statusCode()).isEqualTo(200);
			assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		}
	}

	/**
	 * Make a collection happen: the guard reads the heap in use after a collection, which
	 * only a collection updates. {@link System#gc()} asks for a full one; where explicit
	 * collections are off or concurrent ({@code -XX:+DisableExplicitGC},
	 * {@code -XX:+ExplicitGCInvokesConcurrent}), short-lived allocations bring young
	 * collections, which G1 counts for the old generation too. Called until the state is
	 * reached, with a bound.
	 */
	private static void collectGarbage() {
		System.gc();
		for (int i = 0; i < 64; i++) {
			garbage = new byte[(int) MB];
		}
		garbage = null;
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@RestController
	static class Application {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
