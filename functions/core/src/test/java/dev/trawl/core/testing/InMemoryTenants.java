package dev.trawl.core.testing;

import dev.trawl.core.port.Tenants;
import dev.trawl.core.tenant.TenantSettings;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Tenants' settings in a map, as the table keeps them: one entry per tenant, replaced whole. */
public final class InMemoryTenants implements Tenants {
    private final Map<String, TenantSettings> settings = new ConcurrentHashMap<>();

    @Override
    public Optional<TenantSettings> find(String tenant) {
        return Optional.ofNullable(settings.get(tenant));
    }

    @Override
    public void put(String tenant, TenantSettings tenantSettings) {
        settings.put(tenant, tenantSettings);
    }
}
