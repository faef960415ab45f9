package dev.pool.endpoint.autoconfigure;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import dev.pool.endpoint.CredentialSanitizingFunction;
import dev.pool.testsupport.Databases;
import dev.pool.testsupport.Http;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials inside URL values never show in {@code /actuator/env} or
 * {@code /actuator/configprops}, also with {@code show-values=always}, read through a
 * real Spring MVC application on 127.0.0.1 whose DataSource is PostgreSQL on 127.0.0.1.
 */
class CredentialSanitizingTests {

	private static final Map<String, String> URLS = Map.of(
			// key: value with a secret inside, as users write them
			"app.userinfo", "jdbc:mysql://app:secret-one@db.internal:3306/app", "app.query",
			"jdbc:postgresql://db.internal/app?user=app&password=secret-two&ssl=true", "app.sqlserver",
			"jdbc:sqlserver://db.internal:1433;databaseName=app;user=sa;password=secret-three;", "app.http",
			"https://svc:secret-four@api.example.com/v1", "app.at-in-password",
			"jdbc:mariadb://app:s3cret@five@db.internal/app", "app.first-parameter",
			"jdbc:h2:tcp://db.internal/app;PASSWORD=secret-six");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CredentialSanitizingAutoConfiguration.class));

	@Test
	void envAndConfigpropsMaskCredentialsInUrlsWithShowValuesAlways() {
		Databases.assumePostgres();
		Map<String, Object> properties = new HashMap<>(URLS);
		properties.putAll(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.datasource.url",
				Databases.POSTGRES_URL + "?user=" + Databases.POSTGRES_USER + "&password=secret-seven",
				"pool.http.hosts.billing.base-url", "https://billing:secret-eight@127.0.0.1:1/api",
				"management.endpoints.web.exposure.include", "env,configprops", "management.endpoint.env.show-values",
				"always", "management.endpoint.configprops.show-values", "always"));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.SERVLET)
			.properties(properties)
			.run()) {
			Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
			HttpResponse<String> env = http.get("/actuator/env");
			assertThat(env.statusCode()).isEqualTo(200);
			assertThat(env.body()).doesNotContainPattern("secret-|s3cret")
				.contains("jdbc:mysql://app:******@db.internal:3306/app")
				.contains("?user=app&password=******&ssl=true")
				.contains("user=sa;password=******;")
				.contains("https://svc:******@api.example.com/v1")
				.contains("jdbc:mariadb://app:******@db.internal/app")
				.contains(";PASSWORD=******")
				.contains("?user=postgres&password=******");
			HttpResponse<String> configprops = http.get("/actuator/configprops");
			assertThat(configprops.statusCode()).isEqualTo(200);
			assertThat(configprops.body()).doesNotContain("secret-")
				.contains("?user=postgres&password=******")
				.contains("https://billing:******@127.0.0.1:1/api");
			HttpResponse<String> key = http.get("/actuator/env/app.sqlserver");
			assertThat(key.body()).doesNotContain("secret-").contains("password=******");
		}
	}

	/**
	 * One password in the places users put it: {@code spring.datasource.password} as an
	 * application property and as a {@code -D} system property, and
	 * {@code spring.datasource.hikari.data-source-properties.password}, plus the read
	 * pool's and a named HTTP host's. {@code env} shows each source, {@code configprops}
	 * what Spring Boot and HikariCP derive from them (and their inputs).
	 */
	@Test
	void envAndConfigpropsShowNoPoolPasswordWithShowValuesAlways() {
		Databases.assumePostgres();
		String password = "pw-7c1e94";
		Map<String, Object> properties = new HashMap<>(Map.of("server.port", "0", "server.address", "127.0.0.1",
				"spring.datasource.url", Databases.POSTGRES_URL, "spring.datasource.username", Databases.POSTGRES_USER,
				"spring.datasource.password", password, "spring.datasource.hikari.data-source-properties.password",
				password, "spring.datasource.hikari.data-source-properties.ApplicationName",
				"credential-sanitizing-tests", "management.endpoints.web.exposure.include", "env,configprops",
				"management.endpoint.env.show-values", "always", "management.endpoint.configprops.show-values",
				"always"));
		String previous = System.setProperty("spring.datasource.password", password);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.SERVLET)
			.properties(properties)
			.run()) {
			Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
			HttpResponse<String> env = http.get("/actuator/env");
			HttpResponse<String> configprops = http.get("/actuator/configprops");
			assertThat(env.statusCode()).isEqualTo(200);
			assertThat(configprops.statusCode()).isEqualTo(200);
			int shown = occurrences(env.body(), password) + occurrences(configprops.body(), password);
			System.out.println("pool: password shown " + shown + " times in /actuator/env and /actuator/configprops");
			assertThat(shown).isZero();
		}
		finally {
			if (previous != null) {
				System.setProperty("spring.datasource.password", previous);
			}
			else {
				System.clearProperty("spring.datasource.password");
			}
		}
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

	@Test
	void valuesThatAreNotUrlsOrHaveNoCredentialsAreLeftAsTheyAre() {
		this.runner.run((context) -> {
			CredentialSanitizingFunction function = context.getBean(CredentialSanitizingFunction.class);
			for (String value : new String[] { "password=not-a-url", "jdbc:postgresql://db/app?ssl=true",
					"https://api.example.com/v1?page=2" }) {
				assertThat(function.apply(new SanitizableData(null, "k", value)).getValue()).isEqualTo(value);
			}
			for (String key : new String[] { "spring.datasource.username", "spring.datasource.hikari.maximum-pool-size",
					"spring.datasource.hikari.data-source-properties.ApplicationName", "pool.read.username",
					"pool.size", "pool.sanitize-credentials", "pool.http.hosts.billing.max-connections",
					"app.password" }) {
				assertThat(function.apply(new SanitizableData(null, key, "shown")).getValue()).isEqualTo("shown");
			}
		});
	}

	@Test
	void offWhenAskedToShowCredentials() {
		this.runner.withPropertyValues("pool.sanitize-credentials=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CredentialSanitizingFunction.class).hasNotFailed());
	}

	@Test
	void offWithTheStarter() {
		this.runner.withPropertyValues("pool.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CredentialSanitizingFunction.class));
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

}
