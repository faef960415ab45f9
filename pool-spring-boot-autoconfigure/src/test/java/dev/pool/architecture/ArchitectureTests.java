package dev.pool.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

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
	void theRulesCatchViolations() {
		assertThat(apiIndependentOfAutoconfigure("dev.pool.architecture.fixture").evaluate(FIXTURE).hasViolation())
			.as("an API class that imports an autoconfigure class")
			.isTrue();
		assertThat(packagesFreeOfCycles("dev.pool.architecture.fixture.cycle").evaluate(FIXTURE).hasViolation())
			.as("two packages that import each other")
			.isTrue();
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

}
