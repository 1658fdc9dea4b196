package dev.trawl.local.store;

import dev.trawl.aws.DynamoUploadStore;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.testing.contract.UploadStoreContract;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB adapter keeps the {@link UploadStore} contract on DynamoDB Local. */
@ExtendWith(LocalStackExtension.class)
class DynamoUploadStoreContractTest extends UploadStoreContract {
    private final UploadStore uploads;

    DynamoUploadStoreContractTest(LocalRuntime runtime) {
        uploads = new DynamoUploadStore(ContractTable.of(runtime));
    }

    @Override
    protected UploadStore uploads() {
        return uploads;
    }
}
