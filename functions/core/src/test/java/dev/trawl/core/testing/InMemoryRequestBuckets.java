package dev.trawl.core.testing;

import dev.trawl.core.port.RequestBuckets;
import dev.trawl.core.tenant.TenantLimits;
import dev.trawl.core.tenant.TokenBucket;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** One {@link TokenBucket} per tenant in a map; every take is atomic, as the table's conditional write makes it. */
public final class InMemoryRequestBuckets implements RequestBuckets {
    private final Map<String, TokenBucket> buckets = new HashMap<>();

    @Override
    public synchronized long take(String tenant, TenantLimits limits, Instant now) {
        TokenBucket before = buckets.getOrDefault(tenant, TokenBucket.full(limits, now));
        TokenBucket.Take take = before.take(limits, now);
        if (!take.served()) {
            return take.retryAfterSeconds();
        }
        buckets.put(tenant, take.after());
        return 0;
    }
}
