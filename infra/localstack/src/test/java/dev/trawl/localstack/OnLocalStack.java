package dev.trawl.localstack;

import dev.trawl.local.Backend;
import dev.trawl.local.LocalRuntime;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * One LocalStack container, one local runtime on it (the template's resources in LocalStack, its functions in this
 * JVM) and one test site per test JVM, started on first use and closed when the JVM's tests end; test methods take
 * {@link LocalRuntime} and {@link TestSite} as parameters. Where Testcontainers finds no Docker engine, every test is
 * skipped with the reason, before anything starts. Each test is judged on its own, so that each is reported.
 * {@code -Dtrawl.localstack.endpoint=http://HOST:4566} runs them on a fresh LocalStack that already runs (by hand,
 * or as a CI service) instead, and needs no Docker here.
 */
final class OnLocalStack implements ExecutionCondition, ParameterResolver {
    static final String ACME_KEY = "test-key-acme";
    /**
     * A LocalStack release from before its images needed an auth token (March 2026), as Testcontainers' LocalStack
     * page advises; {@code -Dtrawl.localstack.image=…} picks another (a newer one also needs
     * {@code LOCALSTACK_AUTH_TOKEN}, which {@link #start} hands on when set).
     */
    static final String IMAGE = "localstack/localstack:4.14.0";
    static final String NO_DOCKER = "no Docker engine: LocalStack tests skipped (Testcontainers found no Docker environment)";

    /** @param localStack stops the container, if the tests started one */
    record Shared(AutoCloseable localStack, LocalRuntime runtime, TestSite site) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            runtime.close();
            site.close();
            localStack.close();
        }
    }

    private static String runningEndpoint() {
        return System.getProperty("trawl.localstack.endpoint", "");
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("each test is judged on its own");
        }
        if (!runningEndpoint().isBlank()) {
            return ConditionEvaluationResult.enabled("LocalStack at " + runningEndpoint());
        }
        return DockerClientFactory.instance().isDockerAvailable()
                ? ConditionEvaluationResult.enabled("Docker engine found")
                : ConditionEvaluationResult.disabled(NO_DOCKER);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalRuntime.class || type == TestSite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        Shared shared = extension.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(Shared.class, key -> start(), Shared.class);
        return parameter.getParameter().getType() == LocalRuntime.class ? shared.runtime() : shared.site();
    }

    private static Shared start() {
        if (!runningEndpoint().isBlank()) {
            return start(LocalStackBackend.connect(URI.create(runningEndpoint()), new Backend.Credentials("test", "test")),
                    () -> { });
        }
        LocalStackContainer localStack = new LocalStackContainer(
                DockerImageName.parse(System.getProperty("trawl.localstack.image", IMAGE)))
                .withServices(Service.DYNAMODB, Service.SQS, Service.S3, Service.STS, Service.KMS);
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            localStack.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        try {
            localStack.start();
            return start(LocalStackBackend.connect(localStack.getEndpoint(),
                    new Backend.Credentials(localStack.getAccessKey(), localStack.getSecretKey())), localStack::stop);
        } catch (RuntimeException e) {
            localStack.stop();
            throw e;
        }
    }

    /** The test site and the runtime on {@code backend}; {@code localStack} stops LocalStack with them. */
    private static Shared start(Backend backend, AutoCloseable localStack) {
        TestSite site = null;
        try {
            site = new TestSite();
            LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(template(), 0, Map.of(ACME_KEY, "acme"),
                    site.hostsAndPorts(),
                    // The reaper every two seconds and webhook retries from one second, so that tests see them act.
                    Map.of("ReaperSchedule", "rate(2 seconds)", "WebhookRetryBaseSeconds", "1"), true), backend);
            return new Shared(localStack, runtime, site);
        } catch (Exception e) {
            if (site == null) {
                backend.close();
            } else {
                site.close(); // the runtime closed the backend
            }
            throw new IllegalStateException("the runtime on LocalStack did not start", e);
        }
    }

    private static Path template() {
        return Path.of(System.getProperty("trawl.template", "../../template.yaml"));
    }
}
