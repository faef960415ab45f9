package dev.pool.jdbc.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.pool.Setting;
import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.ManagedHikariDataSource;
import dev.pool.jdbc.PrePingCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Resolution of every {@link JdbcPoolKey} as plain functions, without a Spring context:
 * default &lt; profile &lt; explicit {@code pool.*}; an explicit
 * {@code spring.datasource.hikari.*} key wins over a default or profile value; both set
 * and different fail naming both keys; {@code pool.datasources.<name>.*} takes the same
 * keys under its own names; and what is resolved is what a pool gets and describes.
 */
class JdbcPoolSettingsTests {

	private static final int CORES = 4;

	/**
	 * A value for each key that no profile and no default has, the value it resolves to,
	 * and the same value as its {@code spring.datasource.hikari.*} key (null when no
	 * Hikari key overlaps).
	 */
	private static final List<Sample<?>> SAMPLES = List
		.of(new Sample<>(JdbcPoolKey.SIZE, (keys) -> keys.setSize("7"), 7, 7),
				new Sample<>(JdbcPoolKey.OVERFLOW, (keys) -> keys.setOverflow(3), 3, null),
				new Sample<>(JdbcPoolKey.OVERFLOW_IDLE_TIMEOUT,
						(keys) -> keys.setOverflowIdleTimeout(Duration.ofSeconds(45)), Duration.ofSeconds(45), 45_000L),
				new Sample<>(JdbcPoolKey.RECYCLE, (keys) -> keys.setRecycle(Duration.ofMinutes(15)),
						Duration.ofMinutes(15), 900_000L),
				new Sample<>(JdbcPoolKey.PRE_PING, (keys) -> keys.setPrePing(false), false, null),
				new Sample<>(JdbcPoolKey.PRE_PING_CHECK,
						(keys) -> ((PoolProperties) keys).setPrePingCheck(PrePingCheck.ROUND_TRIP),
						PrePingCheck.ROUND_TRIP, null),
				new Sample<>(JdbcPoolKey.ACQUIRE_TIMEOUT, (keys) -> keys.setAcquireTimeout(Duration.ofSeconds(3)),
						Duration.ofSeconds(3), 3_000L),
				new Sample<>(JdbcPoolKey.LEAK_DETECTION_THRESHOLD,
						(keys) -> keys.setLeakDetectionThreshold(Duration.ofSeconds(20)), Duration.ofSeconds(20),
						20_000L),
				new Sample<>(JdbcPoolKey.MAX_WAITING, (keys) -> keys.setMaxWaiting(0), 0, null));

	@Test
	void everyKeyHasASample() {
		assertThat(SAMPLES.stream().<Object>map(Sample::key).toList()).containsExactlyElementsOf(JdbcPoolKey.ALL);
	}

	@ParameterizedTest
	@EnumSource(PoolProfile.class)
	void withoutKeysEveryKeyIsTheProfilesOrTheDefault(PoolProfile profile) {
		PoolProperties properties = new PoolProperties();
		properties.setProfile(profile);
		JdbcPoolSettings settings = resolve(properties);
		String source = "profile:" + profile.id();
		assertThat(settings.profile()).isEqualTo(profile);
		assertThat(settings.size()).isEqualTo(new Setting<>(profile.size(), source, "pool.size"));
		assertThat(settings.overflow()).isEqualTo(new Setting<>(profile.overflow(), source, "pool.overflow"));
		assertThat(settings.overflowIdleTimeout())
			.isEqualTo(new Setting<>(profile.overflowIdleTimeout(), source, "pool.overflow-idle-timeout"));
		assertThat(settings.recycle()).isEqualTo(new Setting<>(profile.recycle(), source, "pool.recycle"));
		assertThat(settings.acquireTimeout())
			.isEqualTo(new Setting<>(profile.acquireTimeout(), source, "pool.acquire-timeout"));
		assertThat(settings.prePing()).isEqualTo(new Setting<>(true, Setting.DEFAULT, "pool.pre-ping"));
		assertThat(settings.prePingCheck())
			.isEqualTo(new Setting<>(PrePingCheck.AUTO, Setting.DEFAULT, "pool.pre-ping-check"));
		assertThat(settings.leakDetectionThreshold())
			.isEqualTo(new Setting<>(Duration.ZERO, Setting.DEFAULT, "pool.leak-detection-threshold"));
		assertThat(settings.maxWaiting()).isEqualTo(new Setting<>(null, Setting.DEFAULT, "pool.max-waiting"));
		assertThat(settings.settings().keySet()).containsExactlyElementsOf(JdbcPoolKey.ALL);
	}

	@ParameterizedTest
	@MethodSource("everyKeyUnderEveryProfile")
	void anExplicitKeyWinsOverTheProfile(Sample<?> sample, PoolProfile profile) {
		PoolProperties properties = new PoolProperties();
		properties.setProfile(profile);
		sample.set().accept(properties);
		Setting<?> setting = resolve(properties).get(sample.key());
		assertThat(setting).isEqualTo(new Setting<>(sample.value(), Setting.PROPERTY, "pool." + sample.key().name()));
	}

	@ParameterizedTest
	@MethodSource("everyHikariKeyUnderEveryProfile")
	void anExplicitHikariKeyWinsOverTheProfileAndTheDefault(Sample<?> sample, PoolProfile profile) {
		PoolProperties properties = new PoolProperties();
		properties.setProfile(profile);
		JdbcPoolSettings settings = JdbcPoolSettings.resolve(properties, hikari(sample), CORES, false);
		assertThat(settings.get(sample.key()))
			.isEqualTo(new Setting<>(sample.value(), Setting.HIKARI, HikariKeys.PREFIX + sample.key().hikariKey()));
	}

	@ParameterizedTest
	@MethodSource("everyHikariKey")
	void bothKeysWithTheSameValueAreOneSetting(Sample<?> sample) {
		PoolProperties properties = new PoolProperties();
		sample.set().accept(properties);
		JdbcPoolSettings settings = JdbcPoolSettings.resolve(properties, hikari(sample), CORES, false);
		assertThat(settings.get(sample.key()).value()).isEqualTo(sample.value());
		assertThat(settings.get(sample.key()).source()).isEqualTo(Setting.HIKARI);
	}

	@ParameterizedTest
	@MethodSource("everyHikariKey")
	void bothKeysWithDifferentValuesFailNamingBothKeys(Sample<?> sample) {
		PoolProperties properties = new PoolProperties();
		sample.set().accept(properties);
		Object other = (sample.hikari() instanceof Long millis) ? (Object) (millis + 1000)
				: (Object) ((Integer) sample.hikari() + 1);
		HikariKeys hikari = new HikariKeys(Map.of(sample.key().hikariKey(), other));
		String poolKey = "pool." + sample.key().name();
		String hikariKey = HikariKeys.PREFIX + sample.key().hikariKey();
		assertThatExceptionOfType(PoolConfigurationException.class)
			.isThrownBy(() -> JdbcPoolSettings.resolve(properties, hikari, CORES, false))
			.satisfies((ex) -> {
				assertThat(ex.getKey()).isEqualTo(poolKey + " and " + hikariKey);
				assertThat(ex.getAction()).contains("Remove one of " + poolKey + " and " + hikariKey);
			});
	}

	@Test
	void maximumPoolSizeSetsTheOverflowOverTheSize() {
		PoolProperties properties = new PoolProperties();
		properties.setSize("4");
		JdbcPoolSettings settings = JdbcPoolSettings.resolve(properties,
				new HikariKeys(Map.of("maximum-pool-size", 12)), CORES, false);
		assertThat(settings.overflow())
			.isEqualTo(new Setting<>(8, Setting.HIKARI, "spring.datasource.hikari.maximum-pool-size"));
		assertThat(settings.size()).isEqualTo(new Setting<>(4, Setting.PROPERTY, "pool.size"));
	}

	@Test
	void maximumPoolSizeBelowTheProfilesSizeLowersTheSize() {
		JdbcPoolSettings settings = JdbcPoolSettings.resolve(new PoolProperties(),
				new HikariKeys(Map.of("maximum-pool-size", 3)), CORES, false);
		assertThat(settings.size())
			.isEqualTo(new Setting<>(3, Setting.HIKARI, "spring.datasource.hikari.maximum-pool-size"));
		assertThat(settings.overflow().value()).isZero();
	}

	@Test
	void maximumPoolSizeBelowAnExplicitSizeFailsNamingBothKeys() {
		PoolProperties properties = new PoolProperties();
		properties.setSize("8");
		assertThatExceptionOfType(PoolConfigurationException.class)
			.isThrownBy(() -> JdbcPoolSettings.resolve(properties, new HikariKeys(Map.of("maximum-pool-size", 3)),
					CORES, false))
			.satisfies((ex) -> assertThat(ex.getKey())
				.isEqualTo("pool.size and spring.datasource.hikari.maximum-pool-size"));
	}

	@Test
	void overflowAndMaximumPoolSizeThatDisagreeFailNamingBothKeys() {
		PoolProperties properties = new PoolProperties();
		properties.setOverflow(5);
		assertThatExceptionOfType(PoolConfigurationException.class)
			.isThrownBy(() -> JdbcPoolSettings.resolve(properties, new HikariKeys(Map.of("maximum-pool-size", 12)),
					CORES, false))
			.satisfies((ex) -> assertThat(ex.getValue()).contains("pool.overflow=5")
				.contains("spring.datasource.hikari.maximum-pool-size=12"));
	}

	@Test
	void badHikariValueIsReportedUnderItsOwnKey() {
		assertThatExceptionOfType(PoolConfigurationException.class)
			.isThrownBy(() -> JdbcPoolSettings.resolve(new PoolProperties(),
					new HikariKeys(Map.of("max-lifetime", 5000L)), CORES, false))
			.satisfies((ex) -> {
				assertThat(ex.getKey()).isEqualTo("spring.datasource.hikari.max-lifetime");
				assertThat(ex.getValue()).isEqualTo("5s");
				assertThat(ex.getAllowed()).contains("(as for pool.recycle)");
			});
	}

	@Test
	void sizeAutoCountsTheCoresAndTheSpindles() {
		PoolProperties properties = new PoolProperties();
		properties.setSize(" AUTO ");
		properties.setEffectiveSpindles(3);
		assertThat(resolve(properties).size()).isEqualTo(new Setting<>(CORES * 2 + 3, Setting.PROPERTY, "pool.size"));
	}

	@Test
	void underVirtualThreadsTheWaitingRoomFollowsTheMaximum() {
		PoolProperties properties = new PoolProperties();
		properties.setProfile(PoolProfile.HIGH_THROUGHPUT);
		JdbcPoolSettings settings = JdbcPoolSettings.resolve(properties, HikariKeys.NONE, CORES, true);
		assertThat(settings.maxWaiting())
			.isEqualTo(new Setting<>(100, JdbcPoolSettings.VIRTUAL_THREADS, "pool.max-waiting"));
		assertThat(settings.withSizes(Setting.property("pool.read.size", 2), Setting.property("pool.read.overflow", 1))
			.maxWaiting()
			.value()).isEqualTo(30);
		properties.setMaxWaiting(5);
		assertThat(JdbcPoolSettings.resolve(properties, HikariKeys.NONE, CORES, true).maxWaiting())
			.isEqualTo(Setting.property("pool.max-waiting", 5));
	}

	@ParameterizedTest
	@MethodSource("everyKeyOfADataSource")
	void aDataSourceOfTheApplicationsOwnGetsOnlyTheKeysSetForIt(Sample<?> sample) {
		PoolProperties.DataSourcePool keys = new PoolProperties.DataSourcePool();
		sample.set().accept(keys);
		JdbcPoolSettings settings = JdbcPoolSettings.forDataSource("orders", keys, new PoolProperties(), CORES, false);
		assertThat(settings.settings()).containsOnlyKeys(sample.key());
		assertThat(settings.get(sample.key())).isEqualTo(
				new Setting<>(sample.value(), Setting.PROPERTY, "pool.datasources.orders." + sample.key().name()));
	}

	@ParameterizedTest
	@EnumSource(PoolProfile.class)
	void aDataSourceWithAProfileGetsEveryKeyOfIt(PoolProfile profile) {
		PoolProperties.DataSourcePool keys = new PoolProperties.DataSourcePool();
		keys.setProfile(profile);
		keys.setRecycle(Duration.ofMinutes(15));
		JdbcPoolSettings settings = JdbcPoolSettings.forDataSource("orders", keys, new PoolProperties(), CORES, false);
		assertThat(settings.size())
			.isEqualTo(Setting.profile(profile.id(), "pool.datasources.orders.size", profile.size()));
		assertThat(settings.acquireTimeout()).isEqualTo(
				Setting.profile(profile.id(), "pool.datasources.orders.acquire-timeout", profile.acquireTimeout()));
		assertThat(settings.recycle())
			.isEqualTo(Setting.property("pool.datasources.orders.recycle", Duration.ofMinutes(15)));
		assertThat(settings.prePingCheck()).as("pre-ping-check is a key of pool.* only").isNull();
	}

	@Test
	void aDataSourcesBadValueIsReportedUnderItsOwnKeys() {
		PoolProperties.DataSourcePool keys = new PoolProperties.DataSourcePool();
		keys.setOverflowIdleTimeout(Duration.ofMinutes(5));
		keys.setRecycle(Duration.ofMinutes(5));
		keys.setOverflow(2);
		assertThatExceptionOfType(PoolConfigurationException.class)
			.isThrownBy(() -> JdbcPoolSettings.forDataSource("orders", keys, new PoolProperties(), CORES, false))
			.satisfies((ex) -> {
				assertThat(ex.getKey()).isEqualTo("pool.datasources.orders.overflow-idle-timeout");
				assertThat(ex.getAllowed()).contains("below pool.datasources.orders.recycle (5m)");
				assertThat(ex.getAction()).doesNotContain(" pool.recycle");
			});
		keys.setSize("banana");
		assertThatExceptionOfType(PoolConfigurationException.class)
			.isThrownBy(() -> JdbcPoolSettings.forDataSource("orders", keys, new PoolProperties(), CORES, false))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("pool.datasources.orders.size"));
	}

	@Test
	void aKeyTooLowIsReportedBeforeARuleBetweenKeys() {
		PoolProperties properties = new PoolProperties();
		properties.setRecycle(Duration.ofSeconds(10));
		properties.setOverflowIdleTimeout(Duration.ofMinutes(5));
		assertThatExceptionOfType(PoolConfigurationException.class).isThrownBy(() -> resolve(properties))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("pool.recycle"));
	}

	@ParameterizedTest
	@MethodSource("everyKeyUnderEveryProfile")
	void whatIsResolvedIsWhatThePoolGetsAndDescribes(Sample<?> sample, PoolProfile profile) {
		PoolProperties properties = new PoolProperties();
		properties.setProfile(profile);
		sample.set().accept(properties);
		JdbcPoolSettings settings = resolve(properties);
		try (ManagedHikariDataSource pool = new ManagedHikariDataSource()) {
			HikariConfigMapping.apply(settings, pool);
			Map<String, Object> values = EffectiveSettings.values(pool);
			Map<String, Object> expected = new HashMap<>();
			settings.settings()
				.forEach((key, setting) -> expected.put(key.name(),
						(key == JdbcPoolKey.OVERFLOW_IDLE_TIMEOUT && settings.overflow().value() == 0) ? Duration.ZERO
								: setting.value()));
			expected.remove(JdbcPoolKey.PRE_PING_CHECK.name());
			assertThat(values).isEqualTo(expected);
			assertThat(pool.getPrePingCheckMode()).isEqualTo(settings.prePingCheck().value());
			Map<String, Setting<?>> described = EffectiveSettings.of(settings, values, pool);
			Setting<?> setting = settings.get(sample.key());
			if (sample.key() == JdbcPoolKey.OVERFLOW_IDLE_TIMEOUT && settings.overflow().value() == 0) {
				setting = new Setting<>(Duration.ZERO, EffectiveSettings.NO_OVERFLOW, setting.key());
			}
			assertThat(described.get(sample.key().name())).as(sample.key().name())
				.isEqualTo(sample.key().isDescribed() ? setting : null);
		}
	}

	private static JdbcPoolSettings resolve(PoolProperties properties) {
		return JdbcPoolSettings.resolve(properties, HikariKeys.NONE, CORES, false);
	}

	private static HikariKeys hikari(Sample<?> sample) {
		return new HikariKeys(Map.of(sample.key().hikariKey(), sample.hikari()));
	}

	static Stream<Arguments> everyKeyUnderEveryProfile() {
		return SAMPLES.stream()
			.flatMap((sample) -> Stream.of(PoolProfile.values()).map((profile) -> Arguments.of(sample, profile)));
	}

	static Stream<Arguments> everyHikariKeyUnderEveryProfile() {
		return everyKeyUnderEveryProfile().filter((arguments) -> ((Sample<?>) arguments.get()[0]).hikari() != null);
	}

	static Stream<Sample<?>> everyHikariKey() {
		return SAMPLES.stream().filter((sample) -> sample.hikari() != null);
	}

	static Stream<Sample<?>> everyKeyOfADataSource() {
		return SAMPLES.stream().filter((sample) -> sample.key().isPerDataSource());
	}

	/**
	 * A value of one key.
	 *
	 * @param key the key
	 * @param set sets it on the bound keys
	 * @param value what it resolves to
	 * @param hikari the same value as the bound {@code spring.datasource.hikari.*} key,
	 * null when none overlaps
	 */
	record Sample<T>(JdbcPoolKey<T> key, Consumer<JdbcPoolSettingsProperties> set, T value, Object hikari) {

		@Override
		public String toString() {
			return this.key.toString();
		}

	}

}
