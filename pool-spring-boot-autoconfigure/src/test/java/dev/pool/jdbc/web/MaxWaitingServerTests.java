package dev.pool.jdbc.web;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.Http;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pool.max-waiting} in a web application on PostgreSQL, Spring MVC on Tomcat and
 * WebFlux on Reactor Netty: with the pool's only connection held, two requests wait for
 * it and the third is answered 503 with {@code Retry-After} at once; the two get their
 * answer once the connection is back.
 */
class MaxWaitingServerTests {

	@ParameterizedTest
	@EnumSource(value = WebApplicationType.class, names = { "SERVLET", "REACTIVE" })
	void theRequestAfterTheWaitingRoomIsFullGets503AtOnce(WebApplicationType type) throws Exception {
		Databases.assumePostgres();
		Class<?> application = (type == WebApplicationType.SERVLET) ? MvcApplication.class : WebFluxApplication.class;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application).web(type)
			.properties(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.datasource.url",
					Databases.POSTGRES_URL, "spring.datasource.username", Databases.POSTGRES_USER, "pool.size", "1",
					"pool.overflow", "0", "pool.acquire-timeout", "60s", "pool.max-waiting", "2"))
			.run()) {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
			assertThat(http.get("/query").statusCode()).isEqualTo(200);
			List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
			try (Connection held = dataSource.getConnection()) {
				waiting.add(http.getAsync("/query"));
				waiting.add(http.getAsync("/query"));
				await().atMost(Duration.ofSeconds(30))
					.until(() -> dataSource.getHikariPoolMXBean().getThreadsAwaitingConnection() == 2);
				HttpResponse<String> refused = http.get("/query");
				assertThat(refused.statusCode()).isEqualTo(503);
				assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
				assertThat(refused.body()).contains("\"reason\":\"database-busy\"");
				assertThat(waiting).noneMatch(CompletableFuture::isDone);
			}
			for (CompletableFuture<HttpResponse<String>> request : waiting) {
				assertThat(request.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			}
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MvcApplication {

		@RestController
		static class QueryController {

			private final JdbcTemplate jdbc;

			QueryController(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@GetMapping("/query")
			Integer query() {
				return this.jdbc.queryForObject("SELECT 1", Integer.class);
			}

		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebFluxApplication {

		@RestController
		static class QueryController {

			private final JdbcTemplate jdbc;

			QueryController(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@GetMapping("/query")
			Mono<Integer> query() {
				return Mono.fromCallable(() -> this.jdbc.queryForObject("SELECT 1", Integer.class))
					.subscribeOn(Schedulers.boundedElastic());
			}

		}

	}

}
