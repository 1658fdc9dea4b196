package dev.trawl.core.testing;

import dev.trawl.core.port.ApiKeyAdmin;
import dev.trawl.core.port.ApiKeyStore;
import dev.trawl.core.testing.contract.ApiKeyAdminContract;

/** The fake keeps the {@link ApiKeyAdmin} contract that DynamoDB keeps. */
class InMemoryApiKeyAdminContractTest extends ApiKeyAdminContract {
    private final InMemoryApiKeyAdmin keys = new InMemoryApiKeyAdmin();

    @Override
    protected ApiKeyAdmin admin() {
        return keys;
    }

    @Override
    protected ApiKeyStore store() {
        return keys;
    }
}
