package dev.trawl.local.store;

import dev.trawl.aws.DynamoJobRemoval;
import dev.trawl.core.port.JobRemoval;
import dev.trawl.core.testing.contract.JobRemovalContract;
import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link DynamoJobRemoval} keeps the {@link JobRemoval} contract on DynamoDB Local. */
@ExtendWith(LocalStackExtension.class)
class DynamoJobRemovalContractTest extends JobRemovalContract {
    private final JobTable table;
    private final JobRemoval removal;

    DynamoJobRemovalContractTest(LocalRuntime runtime) {
        table = ContractTable.ports(runtime);
        removal = new DynamoJobRemoval(ContractTable.of(runtime));
    }

    @Override
    protected JobTable table() {
        return table;
    }

    @Override
    protected JobRemoval removal() {
        return removal;
    }
}
