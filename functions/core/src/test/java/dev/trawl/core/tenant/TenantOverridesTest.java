package dev.trawl.core.tenant;

import dev.trawl.core.tenant.TenantOverrides.Limit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TenantOverridesTest {
    private static final TenantLimits DEPLOYMENT = new TenantLimits(7, 8, 9, 10);

    @Test
    void whatATenantDoesNotSetIsTheDeploymentsDefault() {
        TenantSettings settings = new TenantOverrides(1, null, 3, null, null).over(DEPLOYMENT);

        assertEquals(new TenantLimits(1, 8, 3, 10), settings.limits());
        assertEquals(null, settings.jobDefaults());
        assertEquals(new TenantSettings(DEPLOYMENT, null), TenantOverrides.NONE.over(DEPLOYMENT));
    }

    @Test
    void emptyOnlyWhenNothingIsSet() {
        assertTrue(new TenantOverrides(null, null, null, null, null).isEmpty());
        assertFalse(new TenantOverrides(null, null, null, 4, null).isEmpty());
    }

    @Test
    void eachLimitHasItsRangeAndARefusalSaysIt() {
        assertEquals(1, Limit.REQUESTS_PER_SECOND.check(1));
        assertEquals(10_000, Limit.REQUESTS_PER_SECOND.check(10_000));
        assertEquals(1_000_000, Limit.MAX_CONCURRENCY.check(1_000_000));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Limit.BURST.check(0));
        assertEquals("burst must be from 1 to 100,000, not 0", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Limit.MAX_ACTIVE_JOBS.check(100_001));
        assertThrows(IllegalArgumentException.class, () -> Limit.REQUESTS_PER_SECOND.check(Integer.MAX_VALUE + 1L));
    }
}
