package dev.trawl.local;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One local runtime and one {@link TestSite} per test JVM, which test methods take as parameters: started by
 * {@link #start} on first use and closed when the JVM's tests end. {@link LocalStackExtension} runs the runtime on its
 * emulators, infra/localstack's tests on LocalStack; both with the {@link #options} here.
 */
public abstract class SharedRuntimeExtension implements ParameterResolver {
    /** Tenant {@code acme}'s API key. */
    public static final String ACME_KEY = "test-key-acme";

    /**
     * What {@link #start} starts, closed in this order when the JVM's tests end.
     *
     * @param also what else ran for them (LocalStack's container), closed last
     */
    public record Shared(LocalRuntime runtime, TestSite site, AutoCloseable also) implements AutoCloseable {
        public Shared(LocalRuntime runtime, TestSite site) {
            this(runtime, site, () -> { });
        }

        @Override
        public void close() throws Exception {
            runtime.close();
            site.close();
            also.close();
        }
    }

    /** The runtime and its site; fails with an unchecked exception, having closed what it started. */
    protected abstract Shared start();

    /**
     * Tenant limits far above the documented defaults, for tests that make many requests or jobs quickly (suites
     * share one tenant and poll); the limits themselves are tested with tenants given settings of their own.
     */
    public static final Map<String, String> GENEROUS_LIMITS = Map.of("TenantRequestsPerSecond", "100000",
            "TenantRequestBurst", "100000", "TenantMaxActiveJobs", "100000", "TenantMaxConcurrency", "100000000");

    /** The parameters with {@link #GENEROUS_LIMITS} beside them. */
    public static Map<String, String> withGenerousLimits(Map<String, String> parameters) {
        Map<String, String> all = new HashMap<>(GENEROUS_LIMITS);
        all.putAll(parameters);
        return Map.copyOf(all);
    }

    /** The template the tests run: the project's, as the build passes it in {@code trawl.template}. */
    public static Path template() {
        return Path.of(System.getProperty("trawl.template", "../../template.yaml"));
    }

    /**
     * The runtime's options in the tests: the {@link #template}, the tenants of {@code apiKeys}, every host of
     * {@code site} allowed as a target (the fetch target policy refuses 127.0.0.1 otherwise), the queues polled, and
     * the reaper every two seconds and webhook retries from one second (instead of every minute and from a minute),
     * so that tests see them act, and {@link #GENEROUS_LIMITS}.
     */
    public static LocalRuntime.Options options(Map<String, String> apiKeys, TestSite site) {
        return new LocalRuntime.Options(template(), 0, apiKeys, site.hostsAndPorts(),
                withGenerousLimits(Map.of("ReaperSchedule", "rate(2 seconds)", "WebhookRetryBaseSeconds", "1")), true);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalRuntime.class || type == TestSite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        Shared shared = extension.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(getClass(), key -> start(), Shared.class);
        return parameter.getParameter().getType() == LocalRuntime.class ? shared.runtime() : shared.site();
    }
}
