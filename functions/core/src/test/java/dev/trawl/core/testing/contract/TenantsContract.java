package dev.trawl.core.testing.contract;

import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.port.Tenants;
import dev.trawl.core.tenant.TenantLimits;
import dev.trawl.core.tenant.TenantSettings;
import dev.trawl.core.testing.TestJobs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Tenants}: a tenant's settings, absent until set, replaced whole, never another tenant's. */
public abstract class TenantsContract {
    private Tenants tenants;

    /** The store; called once per test. */
    protected abstract Tenants tenants();

    @BeforeEach
    final void openStore() {
        tenants = tenants();
    }

    @Test
    void aTenantHasNoSettingsUntilSet() {
        assertEquals(Optional.empty(), tenants.find(ContractJobs.newTenant()));
    }

    @Test
    void settingsAreKeptWholeAndReplacedWhole() {
        String tenant = ContractJobs.newTenant();
        TenantSettings first = new TenantSettings(new TenantLimits(5, 7, 3, 40),
                TestJobs.settings().concurrency(4).output(new OutputSpec("csv", true)).maxUrls(10).build());
        tenants.put(tenant, first);
        assertEquals(Optional.of(first), tenants.find(tenant));

        TenantSettings second = new TenantSettings(new TenantLimits(1, 1, 1, 1), null);
        tenants.put(tenant, second);
        assertEquals(Optional.of(second), tenants.find(tenant), "the job defaults went with the settings replaced");
        assertEquals(Optional.empty(), tenants.find(ContractJobs.newTenant()), "another tenant has none");
    }
}
