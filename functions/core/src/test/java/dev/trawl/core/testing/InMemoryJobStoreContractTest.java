package dev.trawl.core.testing;

import dev.trawl.core.testing.contract.JobStoreContract;
import dev.trawl.core.testing.contract.JobTable;

/** The fake of the job table keeps the {@link dev.trawl.core.port.JobStore} contract that DynamoDB keeps. */
class InMemoryJobStoreContractTest extends JobStoreContract {
    private final InMemoryJobStore store = new InMemoryJobStore();

    @Override
    protected JobTable table() {
        return new JobTable(store, store, store, store, store);
    }
}
