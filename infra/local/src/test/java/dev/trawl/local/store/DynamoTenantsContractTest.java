package dev.trawl.local.store;

import dev.trawl.aws.DynamoTenants;
import dev.trawl.core.port.Tenants;
import dev.trawl.core.testing.contract.TenantsContract;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB adapter keeps the {@link Tenants} contract on DynamoDB Local. */
@ExtendWith(LocalStackExtension.class)
class DynamoTenantsContractTest extends TenantsContract {
    private final Tenants tenants;

    DynamoTenantsContractTest(LocalRuntime runtime) {
        tenants = new DynamoTenants(ContractTable.of(runtime));
    }

    @Override
    protected Tenants tenants() {
        return tenants;
    }
}
