package dev.trawl.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.trawl.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Core's shape: packages without cycles, layers that point down, no AWS, nothing using the HTTP adapter. */
class ArchitectureTest {
    private static final String CORE = "dev.trawl.core";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(CORE);
    private static final JavaClasses FIXTURES = new ClassFileImporter()
            .importPackages("dev.trawl.archfixture", "software.amazon.archfixture");

    @Test
    void corePackagesHaveNoCycle() {
        ArchitectureRules.noCyclesBetweenPackages(CORE).check(MAIN);
    }

    @Test
    void coreKnowsNoAwsNorLambda() {
        ArchitectureRules.noCloudTypes(CORE).check(MAIN);
    }

    @Test
    void nothingInCoreUsesTheHttpAdapter() {
        ArchitectureRules.nothingUsesTheHttpAdapter(CORE).check(MAIN);
    }

    @Test
    void coreLayersPointDown() {
        ArchitectureRules.layers(CORE).check(MAIN);
    }

    @Test
    void everyCorePackageHasALayer() {
        ArchitectureRules.everyPackageHasALayer(CORE).check(MAIN);
    }

    // The rules catch what they are for: each fails on a fixture that breaks it.

    @Test
    void aCycleFailsTheBuild() {
        assertFailsNaming(ArchitectureRules.noCyclesBetweenPackages("dev.trawl.archfixture.cycle"), "Cycle detected");
    }

    @Test
    void anAwsTypeInCoreFailsTheBuild() {
        assertFailsNaming(ArchitectureRules.noCloudTypes("dev.trawl.archfixture.cloud"), "UsesAws");
    }

    @Test
    void aModelTypeReachingAPortFailsTheBuild() {
        assertFailsNaming(ArchitectureRules.layers("dev.trawl.archfixture.layers"), "Thing");
    }

    @Test
    void aUseCaseUsingTheHttpAdapterFailsTheBuild() {
        assertFailsNaming(ArchitectureRules.nothingUsesTheHttpAdapter("dev.trawl.archfixture.layers"), "PlanThing");
    }

    @Test
    void aPackageOutsideTheLayersFailsTheBuild() {
        assertFailsNaming(ArchitectureRules.everyPackageHasALayer("dev.trawl.archfixture"), "cycle");
    }

    private static void assertFailsNaming(ArchRule rule, String named) {
        AssertionError failure = assertThrows(AssertionError.class, () -> rule.check(FIXTURES));
        assertTrue(failure.getMessage().contains(named), failure.getMessage());
    }
}
