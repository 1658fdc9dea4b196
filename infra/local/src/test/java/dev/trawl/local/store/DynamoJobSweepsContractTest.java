package dev.trawl.local.store;

import dev.trawl.core.testing.contract.JobSweepsContract;
import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB adapters keep the {@link dev.trawl.core.port.JobSweeps} contract on DynamoDB Local. */
@ExtendWith(LocalStackExtension.class)
class DynamoJobSweepsContractTest extends JobSweepsContract {
    private final JobTable table;

    DynamoJobSweepsContractTest(LocalRuntime runtime) {
        table = ContractTable.ports(runtime);
    }

    @Override
    protected JobTable table() {
        return table;
    }
}
