package dev.pool.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application the benchmarks measure: Spring Boot's auto-configuration with whatever
 * is on the classpath (the starter, its JDBC and actuator parts, the drivers), exactly as
 * a user's application gets it. Nothing is scanned: the benchmarks configure it only
 * through properties.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BenchmarkApplication {

	/**
	 * HikariCP's alive-bypass window, a JVM-wide system property read when a pool starts.
	 */
	public static final String ALIVE_BYPASS = "com.zaxxer.hikari.aliveBypassWindowMs";

	/**
	 * Set HikariCP's alive-bypass window for the pools started from now on: {@code -1}
	 * checks every borrow (what {@code pool.pre-ping=true} sets), cleared is HikariCP's
	 * default (500 ms). The property is JVM-wide, so a run that starts several
	 * applications in one JVM sets it before each, as a fresh JVM would have it.
	 * @param everyBorrow whether every borrow is checked
	 */
	public static void aliveBypass(boolean everyBorrow) {
		if (everyBorrow) {
			System.setProperty(ALIVE_BYPASS, "-1");
		}
		else {
			System.clearProperty(ALIVE_BYPASS);
		}
	}

	/**
	 * Start a non-web application.
	 * @param properties {@code key=value} pairs, as on the command line
	 * @return the running context; close it when done
	 */
	public static ConfigurableApplicationContext start(String... properties) {
		List<String> args = new ArrayList<>(List.of("--logging.level.root=WARN", "--spring.main.banner-mode=off",
				"--spring.main.log-startup-info=false", "--spring.sql.init.mode=never"));
		for (String property : properties) {
			args.add("--" + property);
		}
		return new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
	}

	/**
	 * Start a non-web application and its pool. HikariCP starts a pool at the first
	 * borrow and reads the alive-bypass window then, so a run that starts several
	 * applications with different pre-ping settings borrows once from each before
	 * starting the next.
	 * @param properties {@code key=value} pairs, as on the command line
	 * @return the running context; close it when done
	 */
	public static ConfigurableApplicationContext startPool(String... properties) {
		ConfigurableApplicationContext context = start(properties);
		try (Connection connection = context.getBean(DataSource.class).getConnection()) {
			return context;
		}
		catch (SQLException | RuntimeException ex) {
			context.close();
			throw new IllegalStateException("the application's pool did not start: " + ex.getMessage(), ex);
		}
	}

}
