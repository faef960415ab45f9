package dev.pool.architecture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.Source;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's architecture, checked over its compiled classes: what users call or
 * implement (every package not named {@code *.autoconfigure}) never depends on what
 * Spring wires (an {@code autoconfigure} package), and no package depends on itself
 * through others; no class reaches into HikariCP's internals (its pool numbering, its
 * pool class) or recognises a class by its name (HikariCP's or Spring Boot's
 * package-private DataSource configuration); the readers of a pool's state (health,
 * meters, the {@code pools} endpoint, server checks) take it from the read model. Each
 * rule is also shown to catch a violation, in fixture classes made for it.
 */
class ArchitectureTests {

	private static final JavaClasses STARTER = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.pool");

	private static final JavaClasses FIXTURE = new ClassFileImporter().importPackages("dev.pool.architecture.fixture");

	@Test
	void apiPackagesNeverDependOnAutoconfigurePackages() {
		assertThat(STARTER.size()).as("classes of the starter found").isGreaterThan(50);
		apiIndependentOfAutoconfigure("dev.pool").check(STARTER);
	}

	@Test
	void noPackageCycle() {
		packagesFreeOfCycles("dev").check(STARTER);
	}

	@Test
	void noClassRecognisesSpringBootsDataSourceByTheNameOfItsConfigurationClass() {
		noSpringBootInternalsByName("dev.pool").check(STARTER);
	}

	@Test
	void onlyTheJdbcPartReadsTheJdbcKeys() {
		ArchRuleDefinition.noClasses()
			.that()
			.resideOutsideOfPackages("dev.pool.jdbc..", "dev.pool.architecture..")
			.and()
			// The R2DBC pool shares the pool.* vocabulary (size, overflow, recycle, ...):
			// one adapter of its own reads those keys.
			.doNotHaveFullyQualifiedName("dev.pool.r2dbc.autoconfigure.SharedPoolKeys")
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("dev.pool.jdbc.autoconfigure.PoolProperties")
			.because("the keys of the starter as a whole (pool.enabled, pool.instances, ...) are in "
					+ "dev.pool.autoconfigure.PoolRootProperties")
			.check(STARTER);
	}

	@Test
	void everyAutoConfigurationIsSwitchedOffByPoolEnabled() {
		ArchRuleDefinition.classes()
			.that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.beAnnotatedWith(ConditionalOnPoolEnabled.class)
			.because("pool.enabled=false leaves everything as Spring Boot makes it")
			.check(STARTER);
	}

	@Test
	void noHikariInternals() {
		noPoolNumberProperty().check(STARTER);
		noPrometheusTimerByName().check(STARTER);
		noHikariPoolOutsideItsSeam().check(STARTER);
	}

	@Test
	void readersTakeAPoolsStateFromTheReadModel() {
		readersReadNoPoolCounts("dev.pool").check(STARTER);
	}

	@Test
	void theRulesCatchViolations() {
		assertThat(apiIndependentOfAutoconfigure("dev.pool.architecture.fixture").evaluate(FIXTURE).hasViolation())
			.as("an API class that imports an autoconfigure class")
			.isTrue();
		assertThat(packagesFreeOfCycles("dev.pool.architecture.fixture.cycle").evaluate(FIXTURE).hasViolation())
			.as("two packages that import each other")
			.isTrue();
		assertThat(
				noSpringBootInternalsByName("dev.pool.architecture.fixture.internals").evaluate(FIXTURE).hasViolation())
			.as("a class that names DataSourceConfiguration$Hikari")
			.isTrue();
		JavaClasses internals = new ClassFileImporter().importPackages("dev.pool.architecture.fixture.internals");
		assertThat(noPoolNumberProperty().evaluate(internals).hasViolation())
			.as("a class that reads HikariCP's pool_number property")
			.isTrue();
		assertThat(noPrometheusTimerByName().evaluate(internals).hasViolation())
			.as("a class that recognises Prometheus's timer by its name")
			.isTrue();
		assertThat(noHikariPoolOutsideItsSeam().evaluate(internals).hasViolation())
			.as("a class that casts to HikariPool")
			.isTrue();
		assertThat(readersReadNoPoolCounts("dev.pool.architecture.fixture").evaluate(FIXTURE).hasViolation())
			.as("a health class that reads a pool's counts itself")
			.isTrue();
	}

	/**
	 * HikariCP numbers its pools through a private system property; a copy of that
	 * numbering (to predict pool names) breaks when HikariCP changes it.
	 */
	private static ArchRule noPoolNumberProperty() {
		return ArchRuleDefinition.noClasses()
			.should(containString("com.zaxxer.hikari.pool_number", false))
			.because("pools are known by their instance, not by a name predicted from HikariCP's private numbering");
	}

	private static ArchRule noPrometheusTimerByName() {
		return ArchRuleDefinition.noClasses()
			.should(containString(".PrometheusTimer", true))
			.because("a class is recognised by its type (instanceof, behind a class-presence check), "
					+ "never by the suffix of its name");
	}

	/**
	 * HikariCP's pool class is internal. One seam is left: {@code BackgroundBorrow} shuts
	 * down a pool that a borrow started after its DataSource was closed, which no public
	 * HikariCP method can do (a second {@code close()} does nothing).
	 */
	private static ArchRule noHikariPoolOutsideItsSeam() {
		return ArchRuleDefinition.noClasses()
			.that()
			.doNotHaveFullyQualifiedName("dev.pool.jdbc.BackgroundBorrow")
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("com.zaxxer.hikari.pool.HikariPool")
			.because("HikariPool is HikariCP's internal class: health borrows through the DataSource");
	}

	private static ArchRule readersReadNoPoolCounts(String root) {
		return ArchRuleDefinition.noClasses()
			.that()
			.resideInAnyPackage(root + "..health..", root + "..endpoint..", root + "..metrics..", root + ".check..")
			.should()
			.callMethod(HikariDataSource.class, "getHikariPoolMXBean")
			.because("health, the meters, the pools endpoint and the server checks take a pool's state from "
					+ "JdbcPools (JdbcPoolDescription.state()), read in one place");
	}

	/**
	 * A class whose constant pool holds a string: a literal in its code.
	 * @param text the string
	 * @param dotted whether only a string with dots (a literal, not a class reference,
	 * which the class file writes with slashes) counts
	 */
	private static ArchCondition<JavaClass> containString(String text, boolean dotted) {
		return new ArchCondition<>("contain the string \"" + text + "\"") {

			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				if (javaClass.getSource().isEmpty()) {
					return;
				}
				try (InputStream in = javaClass.getSource().get().getUri().toURL().openStream()) {
					boolean contains = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(text);
					// Satisfied when the class contains it:
					// ArchRuleDefinition.noClasses() inverts the
					// events.
					events.add(new SimpleConditionEvent(javaClass, contains,
							javaClass.getName() + (contains ? " contains \"" : " does not contain \"") + text + "\""));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}

		};
	}

	private static ArchRule apiIndependentOfAutoconfigure(String root) {
		return ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage(root + "..")
			.and()
			.resideOutsideOfPackage("..autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("..autoconfigure..")
			.because("API packages (customizers, read models, health indicators) must not depend on what Spring "
					+ "wires, the way org.springframework.boot.jdbc stands apart from "
					+ "org.springframework.boot.jdbc.autoconfigure");
	}

	private static ArchRule packagesFreeOfCycles(String root) {
		// Every package is a slice of its own: (**) captures the whole package name.
		return SlicesRuleDefinition.slices().matching(root + ".(**)").should().beFreeOfCycles();
	}

	private static ArchRule noSpringBootInternalsByName(String root) {
		return ArchRuleDefinition.classes()
			.that()
			.resideInAPackage(root + "..")
			.should(notContain("DataSourceConfiguration$Hikari"))
			.because("Spring Boot's DataSource is told by what Spring Boot makes public (the package of "
					+ "DataSourceAutoConfiguration, see SpringBootDataSources), not by the name of a package-private "
					+ "class that Spring Boot may rename");
	}

	/**
	 * A class whose compiled form does not hold the text, as a string constant or
	 * otherwise.
	 */
	private static ArchCondition<JavaClass> notContain(String text) {
		byte[] wanted = text.getBytes(StandardCharsets.UTF_8);
		return new ArchCondition<>("not contain the text '" + text + "'") {

			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				byte[] bytes = javaClass.getSource().map(ArchitectureTests::read).orElse(new byte[0]);
				if (indexOf(bytes, wanted) >= 0) {
					events.add(
							SimpleConditionEvent.violated(javaClass, javaClass.getName() + " contains '" + text + "'"));
				}
			}

		};
	}

	private static byte[] read(Source source) {
		try (InputStream in = source.getUri().toURL().openStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int indexOf(byte[] bytes, byte[] wanted) {
		outer: for (int i = 0; i <= bytes.length - wanted.length; i++) {
			for (int j = 0; j < wanted.length; j++) {
				if (bytes[i + j] != wanted[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
