package dev.pool.shapes.refresh;

import java.sql.Connection;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.jdbc.JdbcPools;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refresh before the pool was ever used (its pool is made at the first borrow): Spring
 * Cloud's rebinder resets every {@code @ConfigurationProperties} bean it does not skip to
 * its defaults (reading each of its bean properties, {@code getConnection()} among them,
 * which starts the pool) and initializes it again, which runs the starter's
 * post-processor on it again.
 */
@SpringBootTest(classes = RefreshShapeApplication.class, properties = "spring.datasource.url=jdbc:sqlite::memory:")
class ConfigRefreshUnusedPoolTests {

	@Autowired
	private ConfigurableApplicationContext context;

	@Autowired
	private HikariDataSource dataSource;

	@Autowired
	private JdbcPools pools;

	@Test
	void aRefreshNeitherStartsNorDuplicatesAPoolNotYetUsed() throws Exception {
		assertThat(this.dataSource.getHikariPoolMXBean()).isNull();
		assertThat(this.pools.describe()).hasSize(1);

		this.context.publishEvent(new EnvironmentChangeEvent(this.context, Set.of()));

		assertThat(this.dataSource.getHikariPoolMXBean()).isNull();
		assertThat(this.pools.describe()).hasSize(1);
		assertThat(this.pools.describe().get(0).dataSource()).isSameAs(this.dataSource);
		assertThat(this.context.getBean("dataSource")).isSameAs(this.dataSource);
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.isValid(1)).isTrue();
		}
		assertThat(this.dataSource.getHikariPoolMXBean().getActiveConnections()).isZero();
	}

}
