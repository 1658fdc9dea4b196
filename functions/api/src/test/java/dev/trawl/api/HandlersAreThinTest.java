package dev.trawl.api;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.trawl.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every handler of this module parses its event, calls one use case and maps the answer. */
class HandlersAreThinTest {

    @Test
    void handlersAreThin() {
        ArchitectureRules.handlersAreThin().check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.trawl.api"));
    }

    @Test
    void aHandlerWithLogicOfItsOwnFailsTheBuild() {
        AssertionError failure = assertThrows(AssertionError.class, () -> ArchitectureRules.handlersAreThin()
                .check(new ClassFileImporter().importPackages("dev.trawl.api.fixture")));
        String message = failure.getMessage();
        assertTrue(message.contains("calls 2 use cases"), message);
        assertTrue(message.contains("uses dev.trawl.core.port.JobStore"), message);
        assertTrue(message.contains("uses dev.trawl.core.job.Job"), message);
    }
}
