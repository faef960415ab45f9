package dev.pool.shapes.nodatabase;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A service with no database: WebFlux, Spring Boot's WebClient and actuator, and the
 * starter. It answers by calling another service.
 */
@SpringBootApplication
public class NoDatabaseApplication {

	public static void main(String[] args) {
		SpringApplication.run(NoDatabaseApplication.class, args);
	}

}
