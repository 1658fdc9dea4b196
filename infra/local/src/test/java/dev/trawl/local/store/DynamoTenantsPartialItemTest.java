package dev.trawl.local.store;

import dev.trawl.aws.DynamoTable;
import dev.trawl.aws.DynamoTenants;
import dev.trawl.core.tenant.TenantLimits;
import dev.trawl.core.tenant.TenantOverrides;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An item that sets only some of a tenant's settings (as {@code trawl tenants set} writes it): the functions read the
 * rest as the deployment's defaults; removing it gives the tenant the defaults whole.
 */
@ExtendWith(LocalStackExtension.class)
class DynamoTenantsPartialItemTest {
    private static final TenantLimits DEPLOYMENT = new TenantLimits(70, 80, 90, 100);
    private static final String PARTIAL = "partial-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String RESETTING = "resetting-" + UUID.randomUUID().toString().substring(0, 8);

    private final DynamoTable table;

    DynamoTenantsPartialItemTest(LocalRuntime runtime) {
        table = ContractTable.of(runtime);
    }

    @Test
    void missingAttributesAreTheDeploymentsDefaults() {
        DynamoTenants tenants = new DynamoTenants(table, DEPLOYMENT);
        tenants.putOverrides(PARTIAL, new TenantOverrides(null, 3, null, 40, null));

        assertEquals(new TenantLimits(70, 3, 90, 40), tenants.find(PARTIAL).orElseThrow().limits());
        assertEquals(Optional.of(new TenantOverrides(null, 3, null, 40, null)), tenants.overrides(PARTIAL));
    }

    @Test
    void resetRemovesTheItemAndSettingNothingIsAReset() {
        DynamoTenants tenants = new DynamoTenants(table, DEPLOYMENT);
        tenants.putOverrides(RESETTING, new TenantOverrides(5, null, null, null, null));

        assertTrue(tenants.reset(RESETTING));
        assertFalse(tenants.reset(RESETTING), "nothing left to remove");
        assertTrue(tenants.find(RESETTING).isEmpty());

        tenants.putOverrides(RESETTING, new TenantOverrides(5, null, null, null, null));
        tenants.putOverrides(RESETTING, TenantOverrides.NONE);
        assertTrue(tenants.overrides(RESETTING).isEmpty());
    }
}
