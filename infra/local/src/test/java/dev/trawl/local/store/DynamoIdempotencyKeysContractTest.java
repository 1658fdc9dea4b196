package dev.trawl.local.store;

import dev.trawl.core.testing.contract.IdempotencyKeysContract;
import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB adapters keep the {@link dev.trawl.core.port.IdempotencyKeys} contract on DynamoDB Local. */
@ExtendWith(LocalStackExtension.class)
class DynamoIdempotencyKeysContractTest extends IdempotencyKeysContract {
    private final JobTable table;

    DynamoIdempotencyKeysContractTest(LocalRuntime runtime) {
        table = ContractTable.ports(runtime);
    }

    @Override
    protected JobTable table() {
        return table;
    }
}
