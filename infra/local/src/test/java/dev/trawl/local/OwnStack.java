package dev.trawl.local;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A local stack of a test class's own, for template parameters the shared one cannot have (a tiny split size, a
 * short worker time-out): its runtime, a test site allowed as a target, and an API client for one tenant.
 */
final class OwnStack implements AutoCloseable {
    final TestSite site;
    final LocalRuntime runtime;
    final Api api;

    private OwnStack(TestSite site, LocalRuntime runtime, Api api) {
        this.site = site;
        this.runtime = runtime;
        this.api = api;
    }

    static OwnStack start(String tenant, Map<String, String> parameters) throws Exception {
        return start(tenant, parameters, options -> options);
    }

    /** @param options changes to the runtime's options beyond the template's parameters */
    static OwnStack start(String tenant, Map<String, String> parameters,
                          UnaryOperator<LocalRuntime.Options> options) throws Exception {
        TestSite site = new TestSite();
        try {
            String key = "test-key-" + tenant;
            LocalRuntime runtime = LocalRuntime.start(options.apply(new LocalRuntime.Options(LocalStackExtension.template(),
                    0, Map.of(key, tenant), site.hostsAndPorts(), SharedRuntimeExtension.withGenerousLimits(parameters), true)));
            return new OwnStack(site, runtime, new Api(runtime.apiUrl(), key));
        } catch (Exception | Error e) {
            site.close();
            throw e;
        }
    }

    @Override
    public void close() {
        runtime.close();
        site.close();
    }
}
