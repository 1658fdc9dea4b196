package dev.trawl.local;

import java.util.Map;

/**
 * One local runtime (emulators, template resources, functions, queue pollers) and one test site per test JVM,
 * started on first use and closed when the JVM's tests end. Test classes take them as parameters.
 */
public final class LocalStackExtension extends SharedRuntimeExtension {
    static final String GLOBEX_KEY = "test-key-globex";

    @Override
    protected Shared start() {
        try {
            TestSite site = new TestSite();
            LocalRuntime runtime = LocalRuntime.start(options(Map.of(ACME_KEY, "acme", GLOBEX_KEY, "globex"), site));
            return new Shared(runtime, site);
        } catch (Exception e) {
            throw new IllegalStateException("the local stack did not start", e);
        }
    }
}
