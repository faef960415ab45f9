package dev.pool.health.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the {@code pool} health component exists.
 */
class PoolHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolHealthContributorAutoConfiguration.class));

	@Test
	void noPoolsNoComponent() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean("poolHealthContributor");
		});
	}

	@Test
	void disabledStarterOrIndicatorNoComponent() {
		this.runner.withPropertyValues("pool.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CompositeHealthContributor.class));
		this.runner.withPropertyValues("management.health.pool.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CompositeHealthContributor.class));
	}

}
