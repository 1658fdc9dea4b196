package dev.trawl.core.limits;

import dev.trawl.core.port.Tenants;
import dev.trawl.core.tenant.TenantSettings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenants' settings as one container sees them: read once per tenant and kept for {@link #TTL}, so that a request
 * costs no read of them; an operator's change takes effect within that time.
 */
public final class TenantSettingsCache {
    public static final Duration TTL = Duration.ofSeconds(30);

    private record Entry(TenantSettings settings, Instant until) {
    }

    private final Tenants tenants;
    private final TenantSettings defaults;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public TenantSettingsCache(Tenants tenants, Clock clock) {
        this(tenants, TenantSettings.DEFAULTS, clock);
    }

    /** @param defaults the settings of a tenant without its own (the deployment's default limits) */
    public TenantSettingsCache(Tenants tenants, TenantSettings defaults, Clock clock) {
        this.tenants = tenants;
        this.defaults = defaults;
        this.clock = clock;
    }

    /** The tenant's settings, or the defaults when it has none of its own. */
    public TenantSettings of(String tenant) {
        Instant now = clock.instant();
        Entry entry = entries.get(tenant);
        if (entry == null || !now.isBefore(entry.until())) {
            entry = new Entry(tenants.find(tenant).orElse(defaults), now.plus(TTL));
            entries.put(tenant, entry);
        }
        return entry.settings();
    }
}
