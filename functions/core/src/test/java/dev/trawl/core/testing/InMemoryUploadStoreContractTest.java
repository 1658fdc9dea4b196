package dev.trawl.core.testing;

import dev.trawl.core.port.UploadStore;
import dev.trawl.core.testing.contract.UploadStoreContract;

/** The fake keeps the {@link UploadStore} contract that DynamoDB keeps. */
class InMemoryUploadStoreContractTest extends UploadStoreContract {
    @Override
    protected UploadStore uploads() {
        return new InMemoryUploadStore();
    }
}
