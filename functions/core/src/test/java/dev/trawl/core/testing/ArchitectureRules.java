package dev.trawl.core.testing;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaStaticInitializer;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rules the code's shape keeps, as ArchUnit rules over a root package, so that a test can run them on the real
 * code and on fixtures that break them (the rules' own tests). docs/architecture.md explains each.
 */
public final class ArchitectureRules {
    /** Core's packages by layer, lowest first: a layer uses only the layers below it (and itself). */
    public static final List<String> FOUNDATION = List.of("util", "error");
    public static final List<String> MODEL = List.of("extract", "job", "row", "metrics", "upload", "message", "layout",
            "tenant");
    public static final List<String> PORTS = List.of("port");
    public static final List<String> CAPABILITIES = List.of("fetch", "input", "output", "view");
    public static final List<String> USE_CASES = List.of("auth", "limits", "submit", "manage", "intake", "plan", "work", "finalize",
            "reap", "webhook");
    public static final List<String> HTTP = List.of("http");
    /** What a handler's request code may touch besides its one use case: messages, the HTTP types, errors, logging. */
    private static final List<String> HANDLER_MAY_USE = List.of("dev.trawl.core.message", "dev.trawl.core.http",
            "dev.trawl.core.error", "dev.trawl.core.util", "dev.trawl.aws.lambda");
    private static final String REQUEST_HANDLER = "com.amazonaws.services.lambda.runtime.RequestHandler";

    private ArchitectureRules() {
    }

    /** No two packages under {@code root} depend on each other, directly or through others. */
    public static ArchRule noCyclesBetweenPackages(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles()
                .because("a package is understood and changed by reading down, never around a circle");
    }

    /** Nothing under {@code root} knows AWS or Lambda: the aws module implements the ports, the handlers adapt events. */
    public static ArchRule noCloudTypes(String root) {
        return noClasses().that().resideInAPackage(root + "..").should().dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "com.amazonaws..", "org.apache.parquet..", "org.apache.hadoop..")
                .because("core is plain Java: AWS lives behind the ports, in the aws module");
    }

    /** The HTTP adapter uses the use cases; nothing uses the HTTP adapter. */
    public static ArchRule nothingUsesTheHttpAdapter(String root) {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(root + ".http..")
                .should().dependOnClassesThat().resideInAPackage(root + ".http..")
                .because("status codes, routes and request bodies are the HTTP adapter's, not the domain's");
    }

    /** Core's layers, each using only the ones below it. */
    public static ArchRule layers(String root) {
        return Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Foundation").definedBy(packages(root, FOUNDATION))
                .layer("Model").definedBy(packages(root, MODEL))
                .layer("Ports").definedBy(packages(root, PORTS))
                .layer("Capabilities").definedBy(packages(root, CAPABILITIES))
                .layer("UseCases").definedBy(packages(root, USE_CASES))
                .layer("Http").definedBy(packages(root, HTTP))
                .whereLayer("Http").mayNotBeAccessedByAnyLayer()
                .whereLayer("UseCases").mayOnlyBeAccessedByLayers("Http")
                .whereLayer("Capabilities").mayOnlyBeAccessedByLayers("UseCases", "Http")
                .whereLayer("Ports").mayOnlyBeAccessedByLayers("Capabilities", "UseCases", "Http")
                .whereLayer("Model").mayOnlyBeAccessedByLayers("Ports", "Capabilities", "UseCases", "Http")
                .because("a layer that reached up would tie the domain to its callers");
    }

    /** Every core package belongs to a layer, so that a new one is placed on purpose. */
    public static ArchRule everyPackageHasALayer(String root) {
        String[] known = Arrays.stream(packages(root, all())).toArray(String[]::new);
        return classes().that().resideInAPackage(root + "..").should().resideInAnyPackage(known)
                .because("a new package takes its place in a layer of ArchitectureRules and of docs/architecture.md");
    }

    private static List<String> all() {
        return java.util.stream.Stream.of(FOUNDATION, MODEL, PORTS, CAPABILITIES, USE_CASES, HTTP)
                .flatMap(List::stream).toList();
    }

    private static String[] packages(String root, List<String> names) {
        return names.stream().map(name -> root + "." + name + "..").toArray(String[]::new);
    }

    /**
     * A Lambda handler parses its event, calls one use case (or the HTTP API) and maps the answer: outside its
     * constructors (where it wires the ports) it touches exactly one use-case class, no port, and nothing of core but
     * messages, HTTP request and response types, errors and logging.
     */
    public static ArchRule handlersAreThin() {
        return classes().that().implement(REQUEST_HANDLER).should(parseCallOneUseCaseAndMap())
                .because("logic lives in core's use cases, where it is tested without Lambda");
    }

    private static ArchCondition<JavaClass> parseCallOneUseCaseAndMap() {
        return new ArchCondition<>("parse the event, call one use case and map the answer") {
            @Override
            public void check(JavaClass handler, ConditionEvents events) {
                Set<String> useCases = new TreeSet<>();
                for (JavaCodeUnit unit : handler.getCodeUnits()) {
                    if (unit instanceof JavaConstructor || unit instanceof JavaStaticInitializer) {
                        continue;
                    }
                    for (JavaAccess<?> access : unit.getAccessesFromSelf()) {
                        JavaClass target = topLevel(access.getTargetOwner());
                        if (target.equals(topLevel(handler)) || !target.getPackageName().startsWith("dev.trawl.")) {
                            continue;
                        }
                        if (isUseCase(target)) {
                            useCases.add(target.getName());
                        } else if (HANDLER_MAY_USE.stream().noneMatch(p -> target.getPackageName().equals(p))) {
                            events.add(SimpleConditionEvent.violated(handler, handler.getSimpleName() + "." + unit.getName()
                                    + " uses " + target.getName() + " " + access.getSourceCodeLocation()
                                    + ": only its use case, messages, HTTP types, errors and logging belong there"));
                        }
                    }
                }
                if (useCases.size() != 1) {
                    events.add(SimpleConditionEvent.violated(handler, handler.getName() + " calls " + useCases.size()
                            + " use cases " + useCases + "; a handler calls exactly one"));
                }
            }
        };
    }

    private static boolean isUseCase(JavaClass type) {
        String name = type.getPackageName();
        return name.equals("dev.trawl.core.http") && type.getSimpleName().equals("HttpApi")
                || USE_CASES.stream().anyMatch(useCase -> name.equals("dev.trawl.core." + useCase));
    }

    private static JavaClass topLevel(JavaClass type) {
        JavaClass outer = type;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }
}
