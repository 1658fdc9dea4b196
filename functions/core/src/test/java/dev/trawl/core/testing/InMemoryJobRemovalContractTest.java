package dev.trawl.core.testing;

import dev.trawl.core.port.JobRemoval;
import dev.trawl.core.testing.contract.JobRemovalContract;
import dev.trawl.core.testing.contract.JobTable;

/** The fake keeps the {@link JobRemoval} contract that DynamoDB keeps. */
class InMemoryJobRemovalContractTest extends JobRemovalContract {
    private final InMemoryJobStore store = new InMemoryJobStore();

    @Override
    protected JobTable table() {
        return new JobTable(store, store, store, store, store);
    }

    @Override
    protected JobRemoval removal() {
        return store;
    }
}
