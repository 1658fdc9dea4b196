package dev.trawl.local.store;

import dev.trawl.core.testing.contract.ChunkLedgerContract;
import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB adapters keep the {@link dev.trawl.core.port.ChunkLedger} contract on DynamoDB Local. */
@ExtendWith(LocalStackExtension.class)
class DynamoChunkLedgerContractTest extends ChunkLedgerContract {
    private final JobTable table;

    DynamoChunkLedgerContractTest(LocalRuntime runtime) {
        table = ContractTable.ports(runtime);
    }

    @Override
    protected JobTable table() {
        return table;
    }
}
