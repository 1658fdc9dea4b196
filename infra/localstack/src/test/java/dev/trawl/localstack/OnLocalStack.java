package dev.trawl.localstack;

import dev.trawl.local.Backend;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.SharedRuntimeExtension;
import dev.trawl.local.TestSite;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import java.net.URI;
import java.util.Map;

/**
 * One LocalStack container, one local runtime on it (the template's resources in LocalStack, its functions in this
 * JVM) and one test site per test JVM, started on first use and closed when the JVM's tests end; test methods take
 * {@link LocalRuntime} and {@link TestSite} as parameters ({@link SharedRuntimeExtension}, with infra/local's options
 * and helpers). Where Testcontainers finds no Docker engine, every test is skipped with the reason, before anything
 * starts. Each test is judged on its own, so that each is reported. {@code -Dtrawl.localstack.endpoint=http://HOST:4566}
 * runs them on a fresh LocalStack that already runs (by hand, or as a CI service) instead, and needs no Docker here.
 */
final class OnLocalStack extends SharedRuntimeExtension implements ExecutionCondition {
    /**
     * A LocalStack release from before its images needed an auth token (March 2026), as Testcontainers' LocalStack
     * page advises; {@code -Dtrawl.localstack.image=…} picks another (a newer one also needs
     * {@code LOCALSTACK_AUTH_TOKEN}, which {@link #start} hands on when set).
     */
    static final String IMAGE = "localstack/localstack:4.14.0";
    static final String NO_DOCKER = "no Docker engine: LocalStack tests skipped (Testcontainers found no Docker environment)";

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
    protected Shared start() {
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
            LocalRuntime runtime = LocalRuntime.start(options(Map.of(ACME_KEY, "acme"), site), backend);
            return new Shared(runtime, site, localStack);
        } catch (Exception e) {
            if (site == null) {
                backend.close();
            } else {
                site.close(); // the runtime closed the backend
            }
            throw new IllegalStateException("the runtime on LocalStack did not start", e);
        }
    }
}
