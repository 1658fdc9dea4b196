package dev.trawl.local.store;

import dev.trawl.core.testing.contract.JobStoreContract;
import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB adapters keep the {@link dev.trawl.core.port.JobStore} contract on DynamoDB Local. */
@ExtendWith(LocalStackExtension.class)
class DynamoJobStoreContractTest extends JobStoreContract {
    private final JobTable table;

    DynamoJobStoreContractTest(LocalRuntime runtime) {
        table = ContractTable.ports(runtime);
    }

    @Override
    protected JobTable table() {
        return table;
    }
}
