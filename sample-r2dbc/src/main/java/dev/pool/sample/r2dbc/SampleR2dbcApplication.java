package dev.pool.sample.r2dbc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small WebFlux and Spring Data R2DBC application that uses the pool starter exactly as
 * a user would: one dependency and a {@code pool:} block in application.yml.
 */
@SpringBootApplication
public class SampleR2dbcApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleR2dbcApplication.class, args);
	}

}
