package dev.pool.jdbc.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata an IDE shows for {@code pool.profile} and the keys it
 * presets tells what {@link PoolProfile} does: one hint per profile that starts with its
 * figures, and the defaults of the keys are the default profile's.
 */
class PoolProfileMetadataTests {

	private final String metadata = metadata();

	@Test
	void everyProfileHasAHintWithItsOwnFigures() {
		List<Map<String, String>> hints = JsonPath.read(this.metadata,
				"$.hints[?(@.name == 'pool.profile')].values[*]");
		assertThat(hints).extracting((hint) -> hint.get("value"))
			.containsExactly(Arrays.stream(PoolProfile.values()).map(PoolProfile::id).toArray(String[]::new));
		for (PoolProfile profile : PoolProfile.values()) {
			Map<String, String> hint = hints.stream()
				.filter((candidate) -> profile.id().equals(candidate.get("value")))
				.findFirst()
				.orElseThrow();
			assertThat(hint.get("description")).as(profile.id()).startsWith(figures(profile));
		}
	}

	@Test
	void theDefaultsAreTheDefaultProfiles() {
		PoolProfile profile = new PoolProperties().getProfile();
		assertThat(defaultValue("pool.profile")).isEqualTo(profile.id());
		assertThat(defaultValue("pool.size")).hasToString(String.valueOf(profile.size()));
		assertThat(defaultValue("pool.overflow")).hasToString(String.valueOf(profile.overflow()));
		assertThat(defaultValue("pool.recycle")).isEqualTo(text(profile.recycle()));
		assertThat(defaultValue("pool.acquire-timeout")).isEqualTo(text(profile.acquireTimeout()));
		assertThat(defaultValue("pool.overflow-idle-timeout")).isEqualTo(text(profile.overflowIdleTimeout()));
	}

	private Object defaultValue(String key) {
		List<Object> values = JsonPath.read(this.metadata, "$.properties[?(@.name == '" + key + "')].defaultValue");
		assertThat(values).as(key).hasSize(1);
		return values.get(0);
	}

	private static String figures(PoolProfile profile) {
		return profile.size() + " kept + " + profile.overflow() + " overflow, recycle " + text(profile.recycle())
				+ ", acquire-timeout " + text(profile.acquireTimeout()) + ", overflow-idle-timeout "
				+ text(profile.overflowIdleTimeout()) + ".";
	}

	private static String text(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds % 3600 == 0) {
			return (seconds / 3600) + "h";
		}
		if (seconds % 60 == 0) {
			return (seconds / 60) + "m";
		}
		return seconds + "s";
	}

	/**
	 * The hand-written metadata, which the configuration processor merges into the
	 * {@code spring-configuration-metadata.json} an IDE reads.
	 */
	private static String metadata() {
		try (InputStream in = PoolProperties.class
			.getResourceAsStream("/META-INF/additional-spring-configuration-metadata.json")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
