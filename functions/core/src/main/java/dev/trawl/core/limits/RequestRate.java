package dev.trawl.core.limits;

import dev.trawl.core.error.TooMany;
import dev.trawl.core.port.RequestBuckets;
import dev.trawl.core.tenant.TenantLimits;
import dev.trawl.core.util.Log;

import java.time.Clock;

/** Every authenticated request of a tenant takes a token of its bucket; without one it is refused with a wait. */
public final class RequestRate {
    private static final Log LOG = Log.of("api");
    private final RequestBuckets buckets;
    private final TenantSettingsCache settings;
    private final Clock clock;

    public RequestRate(RequestBuckets buckets, TenantSettingsCache settings, Clock clock) {
        this.buckets = buckets;
        this.settings = settings;
        this.clock = clock;
    }

    /** @throws TooMany {@code rate_limited} with the seconds to wait, when the tenant's bucket is empty */
    public void admit(String tenant) {
        TenantLimits limits;
        long wait;
        try {
            limits = settings.of(tenant).limits();
            wait = buckets.take(tenant, limits, clock.instant());
        } catch (RuntimeException e) {
            // The limiter failing must not fail the service: the request is served, and the fault is logged.
            LOG.warn(null, "request rate not checked: " + e.getClass().getSimpleName(), "tenant", tenant);
            return;
        }
        if (wait > 0) {
            throw new TooMany("rate_limited", "Too many requests: this tenant may make " + limits.requestsPerSecond()
                    + " requests per second, in bursts of up to " + limits.burst() + ". Retry after " + wait + " s.", wait);
        }
    }
}
