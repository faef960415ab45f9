package dev.pool.dropin;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.Http;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with the starter and a PostgreSQL URL, and no {@code pool.*} key, next
 * to the same application as plain Spring Boot ({@code pool.enabled=false}): what an
 * operator relies on is the same in both (the contract's drop-in rule), and
 * {@code /actuator/health/db} stays UP while every connection is held, where Spring
 * Boot's own check reports DOWN.
 */
class DropInPostgresTests {

	private final String applicationName = "pool-dropin-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void withNoPoolKeyTheApplicationKeepsSpringBootsNumbersNamesTypesAndHealthPath() throws SQLException {
		Databases.assumePostgres();
		Observed plain = observe("pool.enabled=false");
		Observed starter = observe();
		for (Observed observed : List.of(plain, starter)) {
			assertThat(observed.maximumPoolSize()).as(observed.label() + ": maximum pool size").isEqualTo(10);
			assertThat(observed.poolName()).as(observed.label() + ": pool name").matches("HikariPool-\\d+");
			assertThat(observed.meterPoolTag()).as(observed.label() + ": pool tag of hikaricp.connections.max")
				.isEqualTo(observed.poolName());
			assertThat(observed.dbHealth()).as(observed.label() + ": /actuator/health/db").isEqualTo(200);
			assertThat(observed.backendsAfterClose()).as(observed.label() + ": backends left after close").isZero();
		}
		assertThat(plain.dbHealthWithEveryConnectionHeld())
			.as("Spring Boot's own db check queues behind the callers and reports DOWN")
			.isEqualTo(503);
		assertThat(starter.dbHealthWithEveryConnectionHeld())
			.as("the starter's db check: the database answers, the pool is only busy")
			.isEqualTo(200);
		assertThat(starter.dbHealthBodyWithEveryConnectionHeld()).contains("\"status\":\"UP\"").contains("saturated");
	}

	private Observed observe(String... properties) throws SQLException {
		String label = (properties.length == 0) ? "starter" : "plain Spring Boot";
		Observed observed;
		try (ConfigurableApplicationContext context = start(properties)) {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			assertThat(context.getBean(DataSource.class)).as(label + ": the DataSource bean").isSameAs(dataSource);
			Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
			int db = http.get("/actuator/health/db").statusCode();
			String meterPoolTag = context.getBean(MeterRegistry.class)
				.get("hikaricp.connections.max")
				.gauge()
				.getId()
				.getTag("pool");
			List<Connection> held = new ArrayList<>();
			HttpResponse<String> saturated;
			try {
				for (int i = 0; i < dataSource.getMaximumPoolSize(); i++) {
					held.add(dataSource.getConnection());
				}
				saturated = http.get("/actuator/health/db");
			}
			finally {
				for (Connection connection : held) {
					connection.close();
				}
			}
			observed = new Observed(label, dataSource.getMaximumPoolSize(), dataSource.getPoolName(), meterPoolTag, db,
					saturated.statusCode(), saturated.body(), -1);
		}
		return observed.closed(backendsOnceClosed());
	}

	/**
	 * The server ends a backend shortly after its client closes: wait for that, bounded.
	 */
	private int backendsOnceClosed() {
		int[] backends = new int[1];
		try {
			await().atMost(Duration.ofSeconds(15)).until(() -> {
				backends[0] = Databases.postgresBackends(this.applicationName);
				return backends[0] == 0;
			});
		}
		catch (ConditionTimeoutException ex) {
			// Reported by the assertion, with the count.
		}
		return backends[0];
	}

	private ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(Application.class).web(WebApplicationType.SERVLET)
			.properties(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.datasource.url",
					Databases.POSTGRES_URL + "?ApplicationName=" + this.applicationName, "spring.datasource.username",
					Databases.POSTGRES_USER,
					// Spring Boot's own check waits this long behind the callers before
					// DOWN.
					"spring.datasource.hikari.connection-timeout", "1000", "management.endpoint.health.show-details",
					"always"))
			.properties(properties)
			.run();
	}

	private record Observed(String label, int maximumPoolSize, String poolName, String meterPoolTag, int dbHealth,
			int dbHealthWithEveryConnectionHeld, String dbHealthBodyWithEveryConnectionHeld, int backendsAfterClose) {

		Observed closed(int backends) {
			return new Observed(this.label, this.maximumPoolSize, this.poolName, this.meterPoolTag, this.dbHealth,
					this.dbHealthWithEveryConnectionHeld, this.dbHealthBodyWithEveryConnectionHeld, backends);
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

}
