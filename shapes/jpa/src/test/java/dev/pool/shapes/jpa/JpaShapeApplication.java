package dev.pool.shapes.jpa;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring MVC application with Spring Data JPA, as a user writes it: an entity, a
 * repository, a service with a read-only transaction and a controller that reads and
 * writes in one request.
 */
@SpringBootApplication
class JpaShapeApplication {

}
