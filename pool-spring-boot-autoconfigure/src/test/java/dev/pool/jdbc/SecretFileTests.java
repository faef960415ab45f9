package dev.pool.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A secret file is read again only when it changed, keeps its last good value when it
 * goes away or is emptied (said once), and a provider's answer is kept until its expiry.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretFileTests {

	@TempDir
	Path directory;

	@Test
	void aChangeIsReadOnceAndAFileThatGoesAwayKeepsItsLastValue(CapturedOutput output) throws Exception {
		Path path = this.directory.resolve("password");
		Files.writeString(path, "first\n");
		SecretFile file = SecretFile.read(path, "pool.credentials.password-file");
		assertThat(file.content()).isEqualTo("first");
		assertThat(file.refresh()).as("unchanged").isFalse();
		Files.writeString(path, "second-value\r\n");
		assertThat(file.refresh()).as("rewritten").isTrue();
		assertThat(file.content()).isEqualTo("second-value");
		assertThat(file.refresh()).as("read again").isFalse();
		Files.delete(path);
		assertThat(file.refresh()).isFalse();
		assertThat(file.refresh()).isFalse();
		assertThat(file.content()).isEqualTo("second-value");
		Files.writeString(path, "third");
		assertThat(file.refresh()).as("back").isTrue();
		assertThat(file.content()).isEqualTo("third");
		Files.writeString(path, "");
		assertThat(file.refresh()).as("empty").isFalse();
		assertThat(file.content()).isEqualTo("third");
		Files.writeString(path, "fourth");
		assertThat(file.refresh()).isTrue();
		assertThat(file.content()).isEqualTo("fourth");
		assertThat(output.toString().split("keep the last value read from it", -1)).as("warnings").hasSize(3);
		assertThat(output).contains(path + " is gone")
			.contains(path + " is empty")
			.contains(path + " can be read again");
	}

	@Test
	void aProvidersAnswerIsKeptUntilItsExpiryAndAChangeIsARotation() {
		AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
		Clock clock = new Clock() {

			@Override
			public ZoneOffset getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

			@Override
			public Instant instant() {
				return now.get();
			}

		};
		AtomicInteger calls = new AtomicInteger();
		PoolCredentialsProvider provider = (dataSource, role) -> PoolCredentials.of("app",
				"token-" + calls.incrementAndGet(), now.get().plus(Duration.ofMinutes(15)));
		try (HikariDataSource pool = new HikariDataSource()) {
			RotatingCredentials credentials = RotatingCredentials.provider(pool, provider, "tokens", "dataSource",
					JdbcPool.PRIMARY, clock);
			assertThat(credentials.getCredentials().getPassword()).isEqualTo("token-1");
			assertThat(credentials.getCredentials().getPassword()).isEqualTo("token-1");
			now.set(now.get().plus(Duration.ofMinutes(14)));
			assertThat(credentials.getCredentials().getPassword()).isEqualTo("token-1");
			assertThat(calls).hasValue(1);
			now.set(now.get().plus(Duration.ofMinutes(2)));
			assertThat(credentials.getCredentials().getPassword()).isEqualTo("token-2");
			assertThat(calls).hasValue(2);
			assertThat(credentials.rotations()).isOne();
		}
	}

	@Test
	void refusalsAreRecognisedByTheirSqlState() {
		assertThat(RotatingCredentials.refusal(new java.sql.SQLException("password authentication failed", "28P01")))
			.startsWith("28P01");
		assertThat(RotatingCredentials.refusal(new java.sql.SQLException("Access denied for user", "28000", 1045)))
			.startsWith("28000");
		assertThat(RotatingCredentials.refusal(new java.sql.SQLException("Access denied", null, 1045)))
			.startsWith("error 1045");
		assertThat(RotatingCredentials.refusal(new java.sql.SQLException("Connection refused", "08001"))).isNull();
	}

}
