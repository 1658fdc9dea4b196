package dev.trawl.core.testing.contract;

import dev.trawl.core.port.RequestBuckets;
import dev.trawl.core.tenant.TenantLimits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.trawl.core.testing.contract.ContractJobs.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RequestBuckets}: a tenant's bucket serves its burst at once, then one request per refill, and answers the
 * wait otherwise; no tenant's bucket is another's; requests racing on one bucket never take more than it holds.
 */
public abstract class RequestBucketsContract {
    private static final TenantLimits LIMITS = new TenantLimits(2, 3, 10, 100);
    private RequestBuckets buckets;

    /** The buckets; called once per test. */
    protected abstract RequestBuckets buckets();

    @BeforeEach
    final void openBuckets() {
        buckets = buckets();
    }

    @Test
    void aBurstIsServedThenTheWaitIsAnsweredThenTheBucketRefills() {
        String tenant = ContractJobs.newTenant();
        for (int i = 0; i < 3; i++) {
            assertEquals(0, buckets.take(tenant, LIMITS, T0), "request " + i + " of the burst");
        }
        assertEquals(1, buckets.take(tenant, LIMITS, T0), "empty: one token comes in half a second, said as 1 s");
        assertEquals(1, buckets.take(tenant, LIMITS, T0.plusMillis(400)));
        assertEquals(0, buckets.take(tenant, LIMITS, T0.plusMillis(500)), "refilled at 2 per second");
        assertEquals(1, buckets.take(tenant, LIMITS, T0.plusMillis(500)));
        Instant later = T0.plusSeconds(60);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, buckets.take(tenant, LIMITS, later), "refilled to the burst, no more");
        }
        assertEquals(1, buckets.take(tenant, LIMITS, later));
    }

    @Test
    void aSlowRateAnswersALongerWait() {
        String tenant = ContractJobs.newTenant();
        TenantLimits slow = new TenantLimits(1, 1, 10, 100);
        assertEquals(0, buckets.take(tenant, slow, T0));
        assertEquals(1, buckets.take(tenant, slow, T0));
        assertEquals(1, buckets.take(tenant, slow, T0.plusMillis(100)), "0.9 s to wait is said as 1 s");
    }

    @Test
    void oneTenantsEmptyBucketLeavesAnothersFull() {
        String busy = ContractJobs.newTenant();
        String quiet = ContractJobs.newTenant();
        for (int i = 0; i < 3; i++) {
            buckets.take(busy, LIMITS, T0);
        }
        assertTrue(buckets.take(busy, LIMITS, T0) > 0);
        assertEquals(0, buckets.take(quiet, LIMITS, T0));
    }

    @Test
    void requestsRacingOnOneBucketNeverTakeMoreThanItHolds() throws Exception {
        String tenant = ContractJobs.newTenant();
        TenantLimits limits = new TenantLimits(1, 5, 10, 100);
        List<Long> waits = ContractJobs.atOnce(16, i -> buckets.take(tenant, limits, T0));
        long served = waits.stream().filter(wait -> wait == 0).count();
        assertTrue(served >= 1 && served <= 5, "served " + served + " of a bucket of 5");
        assertTrue(waits.stream().allMatch(wait -> wait >= 0), "every answer is a wait or none");
        for (long i = served; i < 5; i++) {
            assertEquals(0, buckets.take(tenant, limits, T0), "what no racer took is still there");
        }
        assertTrue(buckets.take(tenant, limits, T0) > 0);
    }
}
