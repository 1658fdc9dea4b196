package dev.trawl.core.testing;

import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.core.testing.contract.TenantUsageContract;

/** The fake of the job table counts tenants' usage as DynamoDB does. */
class InMemoryTenantUsageContractTest extends TenantUsageContract {
    private final InMemoryJobStore store = new InMemoryJobStore();

    @Override
    protected JobTable table() {
        return new JobTable(store, store, store, store, store);
    }
}
