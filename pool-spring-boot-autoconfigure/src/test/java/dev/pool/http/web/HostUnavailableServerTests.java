package dev.pool.http.web;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pool.http.PooledWebClients;
import dev.pool.testsupport.Http;
import dev.pool.testsupport.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A named client whose circuit breaker is open or whose bulkhead is full, called from a
 * real Spring MVC (Tomcat) and WebFlux (Reactor Netty) application on 127.0.0.1: the
 * request answers 503 with {@code Retry-After}, like the database circuit breaker, not
 * 500; the log gets one WARN when the breaker opens and no stack trace per refused
 * request. The host is a real server on 127.0.0.1 that fails every call ({@code /fail})
 * or holds it ({@code /hold}).
 */
@ExtendWith(OutputCaptureExtension.class)
class HostUnavailableServerTests {

	private static final int REFUSED = 50;

	@RegisterExtension
	final TestHttpServer host = new TestHttpServer();

	@Test
	void springMvcOnTomcat(CapturedOutput output) {
		refusedCallsAnswer503(WebApplicationType.SERVLET, MvcApplication.class, output);
	}

	@Test
	void webFluxOnReactorNetty(CapturedOutput output) {
		refusedCallsAnswer503(WebApplicationType.REACTIVE, WebFluxApplication.class, output);
	}

	private void refusedCallsAnswer503(WebApplicationType type, Class<?> application, CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(type, application)) {
			Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
			// The failing host: two 500s from the host open the breaker (as in plain
			// Boot, a
			// failed call is a 500), then every call is refused without being made.
			await().atMost(30, TimeUnit.SECONDS).until(() -> http.get("/failing").statusCode() == 503);
			int before = count(output, "CallNotPermittedException|HostUnavailableException");
			int logged = output.toString().length();
			for (int i = 0; i < REFUSED; i++) {
				HttpResponse<String> refused = http.get("/failing");
				assertThat(refused.statusCode()).isEqualTo(503);
				assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
				assertThat(refused.body()).contains("\"status\":503").contains("\"reason\":\"upstream-unavailable\"");
			}
			assertThat(count(output, "CallNotPermittedException|HostUnavailableException")).isEqualTo(before).isZero();
			assertThat(count(output, "circuit breaker of HTTP host 'failing' went CLOSED -> OPEN")).isOne();
			assertThat(output.toString().substring(logged)).as("the log while calls were refused")
				.doesNotContain("ERROR")
				.doesNotContain("Exception");

			// The busy host: one call held takes the bulkhead's only place; the next is
			// refused.
			CompletableFuture<HttpResponse<String>> held = http.getAsync("/narrow/hold");
			try {
				await().atMost(30, TimeUnit.SECONDS).until(() -> this.host.holding() == 1);
				HttpResponse<String> busy = http.get("/narrow/ok");
				assertThat(busy.statusCode()).isEqualTo(503);
				assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
				assertThat(busy.body()).contains("\"reason\":\"upstream-busy\"");
			}
			finally {
				this.host.release();
			}
			assertThat(held.join().statusCode()).isEqualTo(200);
			assertThat(http.get("/narrow/ok").body()).isEqualTo("ok");
			assertThat(count(output, "BulkheadFullException|HostUnavailableException")).isZero();
			assertThat(output.toString().substring(logged)).doesNotContain("ERROR");
		}
	}

	private static int count(CapturedOutput output, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(output.toString());
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	private ConfigurableApplicationContext start(WebApplicationType type, Class<?> application) {
		String failing = "pool.http.hosts.failing.";
		String narrow = "pool.http.hosts.narrow.";
		return new SpringApplicationBuilder(application).web(type)
			.properties(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.datasource.url",
					"jdbc:sqlite::memory:", failing + "base-url", this.host.url() + "/fail",
					failing + "circuit-breaker.minimum-number-of-calls", "2",
					failing + "circuit-breaker.sliding-window-size", "2",
					failing + "circuit-breaker.wait-duration-in-open-state", "30s", narrow + "base-url",
					this.host.url(), narrow + "bulkhead.max-concurrent-calls", "1"))
			.properties(List.of(narrow + "circuit-breaker.enabled=false").toArray(String[]::new))
			.run();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MvcApplication {

		@Bean
		MvcController mvcController(PooledWebClients clients) {
			return new MvcController(clients);
		}

	}

	@RestController
	static class MvcController {

		private final PooledWebClients clients;

		MvcController(PooledWebClients clients) {
			this.clients = clients;
		}

		@GetMapping("/failing")
		String failing() {
			return this.clients.get("failing").get().retrieve().bodyToMono(String.class).block();
		}

		@GetMapping("/narrow/hold")
		String hold() {
			return this.clients.get("narrow").get().uri("/hold").retrieve().bodyToMono(String.class).block();
		}

		@GetMapping("/narrow/ok")
		String ok() {
			return this.clients.get("narrow").get().uri("/ok").retrieve().bodyToMono(String.class).block();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebFluxApplication {

		@Bean
		WebFluxController webFluxController(PooledWebClients clients) {
			return new WebFluxController(clients);
		}

	}

	@RestController
	static class WebFluxController {

		private final PooledWebClients clients;

		WebFluxController(PooledWebClients clients) {
			this.clients = clients;
		}

		@GetMapping("/failing")
		Mono<String> failing() {
			return this.clients.get("failing").get().retrieve().bodyToMono(String.class);
		}

		@GetMapping("/narrow/hold")
		Mono<String> hold() {
			return this.clients.get("narrow").get().uri("/hold").retrieve().bodyToMono(String.class);
		}

		@GetMapping("/narrow/ok")
		Mono<String> ok() {
			return this.clients.get("narrow").get().uri("/ok").retrieve().bodyToMono(String.class);
		}

	}

}
