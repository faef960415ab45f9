package dev.pool.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's architecture, checked over its compiled classes: what users call or
 * implement (every package not named {@code *.autoconfigure}) never depends on what
 * Spring wires (an {@code autoconfigure} package), and no package depends on itself
 * through others. Each rule is also shown to catch a violation, in fixture classes made
 * for it.
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
	void onlyTheJdbcPartReadsTheJdbcKeys() {
		noClasses().that()
			.resideOutsideOfPackages("dev.pool.jdbc..", "dev.pool.architecture..")
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("dev.pool.jdbc.autoconfigure.PoolProperties")
			.because("the keys of the starter as a whole (pool.enabled, pool.instances, ...) are in "
					+ "dev.pool.autoconfigure.PoolRootProperties")
			.check(STARTER);
	}

	@Test
	void everyAutoConfigurationIsSwitchedOffByPoolEnabled() {
		classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.beAnnotatedWith(ConditionalOnPoolEnabled.class)
			.because("pool.enabled=false leaves everything as Spring Boot makes it")
			.check(STARTER);
	}

	@Test
	void theRulesCatchViolations() {
		assertThat(apiIndependentOfAutoconfigure("dev.pool.architecture.fixture").evaluate(FIXTURE).hasViolation())
			.as("an API class that imports an autoconfigure class")
			.isTrue();
		assertThat(packagesFreeOfCycles("dev.pool.architecture.fixture.cycle").evaluate(FIXTURE).hasViolation())
			.as("two packages that import each other")
			.isTrue();
	}

	private static ArchRule apiIndependentOfAutoconfigure(String root) {
		return noClasses().that()
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
		return slices().matching(root + ".(**)").should().beFreeOfCycles();
	}

}
