package dev.trawl.core.limits;

import dev.trawl.core.tenant.TenantLimits;
import dev.trawl.core.tenant.TenantSettings;
import dev.trawl.core.testing.InMemoryTenants;
import dev.trawl.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A container reads a tenant's settings once per {@link TenantSettingsCache#TTL}; a tenant without any has the defaults. */
class TenantSettingsCacheTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-12T10:00:00Z"));
    private final InMemoryTenants tenants = new InMemoryTenants();
    private final TenantSettings deployment = new TenantSettings(new TenantLimits(7, 8, 9, 10), null);
    private final TenantSettingsCache cache = new TenantSettingsCache(tenants, deployment, clock);

    @Test
    void aChangeShowsOnceTheCachedSettingsExpire() {
        assertEquals(deployment, cache.of("acme"), "no settings of its own: the deployment's defaults");
        TenantSettings own = new TenantSettings(new TenantLimits(1, 2, 3, 4), null);
        tenants.put("acme", own);
        clock.advance(TenantSettingsCache.TTL.minus(Duration.ofMillis(1)));
        assertEquals(deployment, cache.of("acme"), "still cached");
        clock.advance(Duration.ofMillis(1));
        assertEquals(own, cache.of("acme"));
    }
}
