package dev.pool.jdbc.autoconfigure;

import java.sql.Connection;
import java.time.Duration;

import javax.sql.DataSource;

import dev.pool.testsupport.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pool.leak-detection-threshold}: a connection that is never closed is reported
 * with the stack that borrowed it.
 */
@ExtendWith(OutputCaptureExtension.class)
class LeakDetectionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + Databases.POSTGRES_URL,
				"spring.datasource.username=" + Databases.POSTGRES_USER, "pool.size=1", "pool.overflow=1",
				"pool.leak-detection-threshold=2s");

	@Test
	void aConnectionHeldPastTheThresholdIsReportedWithTheBorrowingStack(CapturedOutput output) {
		Databases.assumePostgres();
		this.runner.run((context) -> {
			Connection leaked = borrowAndForget(context.getBean(DataSource.class));
			try {
				await().atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(output.getAll()).contains("Connection leak detection triggered")
						.contains("Apparent connection leak detected")
						.contains("LeakDetectionTests.borrowAndForget"));
			}
			finally {
				leaked.close();
			}
		});
	}

	private static Connection borrowAndForget(DataSource dataSource) throws Exception {
		return dataSource.getConnection();
	}

}
