package dev.trawl.core.port;

import dev.trawl.core.tenant.TenantSettings;

import java.util.Optional;

/** Per-tenant settings (limits, inbox job defaults), set by an operator; a tenant without any has the defaults. */
public interface Tenants {

    /** The tenant's own settings, or empty when it has none (then {@link TenantSettings#DEFAULTS} apply). */
    Optional<TenantSettings> find(String tenant);

    /** Sets the tenant's settings, replacing any it had. */
    void put(String tenant, TenantSettings settings);
}
