package dev.trawl.core.tenant;

import dev.trawl.core.job.JobSettings;

/**
 * What a tenant's settings item sets of its own, each part on its own: a null limit is the deployment's default
 * (its {@code Tenant*} template parameter), null job defaults are a job request's defaults. An operator changes one
 * part without restating the others. {@link Limit} holds the ranges an operator may set (docs/operations.md); an
 * item read back is not held to them, so that a hand-written item never stops the service.
 */
public record TenantOverrides(Integer requestsPerSecond, Integer burst, Integer maxActiveJobs, Integer maxConcurrency,
                              JobSettings jobDefaults) {
    public static final TenantOverrides NONE = new TenantOverrides(null, null, null, null, null);

    /** The range of each limit an operator may set, and its name as {@code trawl tenants} spells it. */
    public enum Limit {
        REQUESTS_PER_SECOND("requests-per-second", 10_000),
        BURST("burst", 100_000),
        MAX_ACTIVE_JOBS("max-active-jobs", 100_000),
        MAX_CONCURRENCY("max-concurrency", 1_000_000);

        public final String option;
        public final int max;

        Limit(String option, int max) {
            this.option = option;
            this.max = max;
        }

        /** The value, if it is in range; else says the range. */
        public int check(long value) {
            if (value < 1 || value > max) {
                throw new IllegalArgumentException(String.format("%s must be from 1 to %,d, not %d", option, max, value));
            }
            return (int) value;
        }
    }

    public TenantOverrides {
        if (jobDefaults != null && jobDefaults.webhook() != null) {
            throw new IllegalArgumentException("inbox job defaults cannot carry a webhook: nobody would see its secret");
        }
    }

    /** Sets nothing: the tenant has the deployment's settings. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The tenant's effective settings: its own where it has them, the deployment's limits elsewhere. */
    public TenantSettings over(TenantLimits deployment) {
        return new TenantSettings(new TenantLimits(
                requestsPerSecond != null ? requestsPerSecond : deployment.requestsPerSecond(),
                burst != null ? burst : deployment.burst(),
                maxActiveJobs != null ? maxActiveJobs : deployment.maxActiveJobs(),
                maxConcurrency != null ? maxConcurrency : deployment.maxConcurrency()), jobDefaults);
    }
}
