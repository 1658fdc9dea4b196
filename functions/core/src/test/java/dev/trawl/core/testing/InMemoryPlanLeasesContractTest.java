package dev.trawl.core.testing;

import dev.trawl.core.port.PlanLeases;
import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.core.testing.contract.PlanLeasesContract;

/** The fake keeps the {@link PlanLeases} contract that DynamoDB keeps. */
class InMemoryPlanLeasesContractTest extends PlanLeasesContract {
    private final InMemoryJobStore store = new InMemoryJobStore();

    @Override
    protected JobTable table() {
        return new JobTable(store, store, store, store, store);
    }

    @Override
    protected PlanLeases leases() {
        return new InMemoryPlanLeases(store);
    }
}
