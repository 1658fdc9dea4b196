package dev.trawl.local.store;

import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.core.testing.contract.TenantUsageContract;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB adapters count tenants' usage exactly on DynamoDB Local, races included. */
@ExtendWith(LocalStackExtension.class)
class DynamoTenantUsageContractTest extends TenantUsageContract {
    private final JobTable table;

    DynamoTenantUsageContractTest(LocalRuntime runtime) {
        table = ContractTable.ports(runtime);
    }

    @Override
    protected JobTable table() {
        return table;
    }
}
