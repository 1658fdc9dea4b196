package dev.trawl.core.testing;

import dev.trawl.core.port.Tenants;
import dev.trawl.core.testing.contract.TenantsContract;

/** The fake keeps the {@link Tenants} contract that DynamoDB keeps. */
class InMemoryTenantsContractTest extends TenantsContract {
    @Override
    protected Tenants tenants() {
        return new InMemoryTenants();
    }
}
