package dev.trawl.core.testing;

import dev.trawl.core.testing.contract.ChunkLedgerContract;
import dev.trawl.core.testing.contract.JobTable;

/** The fake of the job table keeps the {@link dev.trawl.core.port.ChunkLedger} contract that DynamoDB keeps. */
class InMemoryChunkLedgerContractTest extends ChunkLedgerContract {
    private final InMemoryJobStore store = new InMemoryJobStore();

    @Override
    protected JobTable table() {
        return new JobTable(store, store, store, store, store);
    }
}
