package dev.trawl.core.tenant;

/**
 * What one tenant may ask of the service: a request rate with bursts (a token bucket refilled at
 * {@code requestsPerSecond}, holding at most {@code burst}), and ceilings on its live jobs and on the concurrency they
 * hold together. The defaults are the documented ones (openapi.yaml, docs/api.md "Limits").
 */
public record TenantLimits(int requestsPerSecond, int burst, int maxActiveJobs, int maxConcurrency) {
    public static final TenantLimits DEFAULTS = new TenantLimits(50, 100, 100, 2_048);

    public TenantLimits {
        positive(requestsPerSecond, "requestsPerSecond");
        positive(burst, "burst");
        positive(maxActiveJobs, "maxActiveJobs");
        positive(maxConcurrency, "maxConcurrency");
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
    }

    public Ceilings ceilings() {
        return new Ceilings(maxActiveJobs, maxConcurrency);
    }
}
