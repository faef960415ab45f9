package dev.pool.resilience;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The database circuit breaker loads resilience4j only when it needs it: an application
 * whose database never fails loads none of its classes at start-up. Shown with the
 * starter's classes loaded again by a class loader that has no resilience4j at all.
 */
class DatabaseCircuitBreakerStartupTests {

	@Test
	void aBreakerThatSawNoFailureNeedsNoResilience4jClass() throws Throwable {
		try (URLClassLoader withoutResilience4j = withoutResilience4j()) {
			Class<?> breakersType = withoutResilience4j.loadClass(DatabaseCircuitBreakers.class.getName());
			assertThat(breakersType.getClassLoader()).isSameAs(withoutResilience4j);
			Object breakers = breakersType.getConstructor(int.class, Duration.class, int.class)
				.newInstance(5, Duration.ofSeconds(10), 1);
			Object breaker = breakersType.getMethod("create", String.class).invoke(breakers, "dataSource");
			Class<?> source = withoutResilience4j.loadClass("dev.pool.jdbc.ConnectionGuard$ConnectionSource");
			Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { Connection.class }, (proxy, method, args) -> null);
			Object pool = Proxy.newProxyInstance(withoutResilience4j, new Class<?>[] { source },
					(proxy, method, args) -> connection);
			// Method handles, not reflection: Class.getMethod would resolve the types of
			// every public method, getCircuitBreaker()'s resilience4j type included.
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			MethodHandle getConnection = lookup.findVirtual(breaker.getClass(), "getConnection",
					MethodType.methodType(Connection.class, source));
			for (int i = 0; i < 3; i++) {
				assertThat(getConnection.invoke(breaker, pool)).isSameAs(connection);
			}
			assertThat(lookup.findVirtual(breaker.getClass(), "getStateName", MethodType.methodType(String.class))
				.invoke(breaker)).isEqualTo("CLOSED");
			assertThat(breaker).hasToString("DatabaseCircuitBreaker[dataSource CLOSED]");
			// The first failure is counted by the breaker itself: made then, it needs
			// resilience4j.
			Object failing = Proxy.newProxyInstance(withoutResilience4j, new Class<?>[] { source },
					(proxy, method, args) -> {
						throw new SQLException("Connection refused", "08001");
					});
			Throwable failure = catchThrowable(() -> getConnection.invoke(breaker, failing));
			assertThat(failure).isInstanceOf(NoClassDefFoundError.class).hasMessageContaining("resilience4j");
		}
	}

	/**
	 * The starter's classes, loaded again, over a parent that sees neither them nor
	 * resilience4j.
	 */
	private static URLClassLoader withoutResilience4j() {
		URL starterClasses = DatabaseCircuitBreakers.class.getProtectionDomain().getCodeSource().getLocation();
		ClassLoader parent = new ClassLoader(DatabaseCircuitBreakerStartupTests.class.getClassLoader()) {

			@Override
			protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
				if (name.startsWith("io.github.resilience4j.") || name.startsWith("dev.pool.")) {
					throw new ClassNotFoundException(name);
				}
				return super.loadClass(name, resolve);
			}

		};
		return new URLClassLoader(new URL[] { starterClasses }, parent);
	}

}
