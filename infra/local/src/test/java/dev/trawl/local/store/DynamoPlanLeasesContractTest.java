package dev.trawl.local.store;

import dev.trawl.aws.DynamoPlanLeases;
import dev.trawl.core.port.PlanLeases;
import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.core.testing.contract.PlanLeasesContract;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link DynamoPlanLeases} keeps the {@link PlanLeases} contract on DynamoDB Local. */
@ExtendWith(LocalStackExtension.class)
class DynamoPlanLeasesContractTest extends PlanLeasesContract {
    private final JobTable table;
    private final PlanLeases leases;

    DynamoPlanLeasesContractTest(LocalRuntime runtime) {
        table = ContractTable.ports(runtime);
        leases = new DynamoPlanLeases(ContractTable.of(runtime));
    }

    @Override
    protected JobTable table() {
        return table;
    }

    @Override
    protected PlanLeases leases() {
        return leases;
    }
}
