package dev.pool.health;

import java.util.function.Supplier;

import org.springframework.boot.health.contributor.HealthContributor;

/**
 * One child of the {@code pool} health component ({@code jdbc}, {@code http} or
 * {@code limits}), contributed by the auto-configuration of its technology.
 *
 * @param name the child's name
 * @param contributor makes the child's contributor, once the beans it reads exist
 */
public record PoolHealthChild(String name, Supplier<HealthContributor> contributor) {
}
