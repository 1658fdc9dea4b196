package dev.trawl.core.port;

import dev.trawl.core.tenant.TenantLimits;

import java.time.Instant;

/**
 * One {@link dev.trawl.core.tenant.TokenBucket} per tenant, shared by every container of the API: no tenant's bucket is
 * another's, so one tenant's burst never touches another's requests.
 */
public interface RequestBuckets {

    /**
     * Takes one token from the tenant's bucket (refilled up to {@code now} at the limits' rate).
     *
     * @return 0 when the request is served, else the whole seconds (≥ 1) until a token is there
     */
    long take(String tenant, TenantLimits limits, Instant now);
}
