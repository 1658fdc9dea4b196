package dev.trawl.core.port;

import dev.trawl.core.tenant.TenantSettings;

import java.util.Optional;

/** Per-tenant settings (limits, inbox job defaults), set by an operator; a tenant without any has the defaults. */
public interface Tenants {

    /**
     * The tenant's own settings, or empty when it has none (then the deployment's defaults apply); a part its item does
     * not set is the deployment's default.
     */
    Optional<TenantSettings> find(String tenant);

    /** Sets the tenant's settings, replacing any it had. */
    void put(String tenant, TenantSettings settings);
}
