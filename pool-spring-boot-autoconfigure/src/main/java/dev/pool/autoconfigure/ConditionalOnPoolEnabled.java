package dev.pool.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Matches unless {@code pool.enabled} is {@code false}: the one switch that leaves every
 * pool as Spring Boot makes it. Every auto-configuration of the starter carries it.
 * <p>
 * Internal to the starter, not an API for applications: it is public only because the
 * auto-configurations that use it live in other packages (one package per concern), and
 * it may change without notice.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@ConditionalOnBooleanProperty(name = "pool.enabled", matchIfMissing = true)
public @interface ConditionalOnPoolEnabled {

}
