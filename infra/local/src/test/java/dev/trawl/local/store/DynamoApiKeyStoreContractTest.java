package dev.trawl.local.store;

import dev.trawl.aws.DynamoApiKeyStore;
import dev.trawl.core.port.ApiKeyStore;
import dev.trawl.core.testing.contract.ApiKeyStoreContract;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB adapter keeps the {@link ApiKeyStore} contract on DynamoDB Local. */
@ExtendWith(LocalStackExtension.class)
class DynamoApiKeyStoreContractTest extends ApiKeyStoreContract {
    private final ApiKeyStore keys;

    DynamoApiKeyStoreContractTest(LocalRuntime runtime) {
        keys = new DynamoApiKeyStore(ContractTable.of(runtime));
    }

    @Override
    protected ApiKeyStore keys() {
        return keys;
    }
}
