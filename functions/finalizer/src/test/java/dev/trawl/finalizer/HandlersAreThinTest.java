package dev.trawl.finalizer;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.trawl.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** Every handler of this module parses its event, calls one use case and maps the answer. */
class HandlersAreThinTest {

    @Test
    void handlersAreThin() {
        ArchitectureRules.handlersAreThin().check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.trawl.finalizer"));
    }
}
