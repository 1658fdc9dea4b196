package dev.trawl.local;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * One local runtime (emulators, template resources, functions, queue pollers) and one test site per test JVM,
 * started on first use and closed when the JVM's tests end. Test classes take them as parameters.
 */
public final class LocalStackExtension implements ParameterResolver {
    static final String ACME_KEY = "test-key-acme";
    static final String GLOBEX_KEY = "test-key-globex";

    record Shared(LocalRuntime runtime, TestSite site) implements AutoCloseable {
        @Override
        public void close() {
            runtime.close();
            site.close();
        }
    }

    static Path template() {
        return Path.of(System.getProperty("trawl.template", "../../template.yaml"));
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
        try {
            TestSite site = new TestSite();
            LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(template(), 0,
                    Map.of(ACME_KEY, "acme", GLOBEX_KEY, "globex"), site.hostsAndPorts(),
                    // The reaper's schedule, every two seconds instead of every minute, so tests see it act.
                    Map.of("ReaperSchedule", "rate(2 seconds)", "WebhookRetryBaseSeconds", "1"), true));
            return new Shared(runtime, site);
        } catch (Exception e) {
            throw new IllegalStateException("the local stack did not start", e);
        }
    }
}
