package dev.trawl.core.testing;

import dev.trawl.core.port.ApiKeyStore;
import dev.trawl.core.testing.contract.ApiKeyStoreContract;

/** The fake keeps the {@link ApiKeyStore} contract that DynamoDB keeps. */
class InMemoryApiKeyStoreContractTest extends ApiKeyStoreContract {
    @Override
    protected ApiKeyStore keys() {
        return new InMemoryApiKeyStore();
    }
}
