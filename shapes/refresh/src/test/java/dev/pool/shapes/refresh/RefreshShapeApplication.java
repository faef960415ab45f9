package dev.pool.shapes.refresh;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A JDBC service with Spring Cloud's config refresh ({@code spring-cloud-context}): its
 * configuration changes at run time, and {@code POST /actuator/refresh} (or a config
 * server, or a Kubernetes config map reload) publishes an {@code EnvironmentChangeEvent}.
 */
@SpringBootApplication
class RefreshShapeApplication {

}
