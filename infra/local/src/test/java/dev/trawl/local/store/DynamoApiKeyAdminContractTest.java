package dev.trawl.local.store;

import dev.trawl.aws.DynamoApiKeyAdmin;
import dev.trawl.aws.DynamoApiKeyStore;
import dev.trawl.core.port.ApiKeyAdmin;
import dev.trawl.core.port.ApiKeyStore;
import dev.trawl.core.testing.contract.ApiKeyAdminContract;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB adapter keeps the {@link ApiKeyAdmin} contract on DynamoDB Local, the authorizer's store beside it. */
@ExtendWith(LocalStackExtension.class)
class DynamoApiKeyAdminContractTest extends ApiKeyAdminContract {
    private final ApiKeyAdmin admin;
    private final ApiKeyStore store;

    DynamoApiKeyAdminContractTest(LocalRuntime runtime) {
        admin = new DynamoApiKeyAdmin(ContractTable.of(runtime));
        store = new DynamoApiKeyStore(ContractTable.of(runtime));
    }

    @Override
    protected ApiKeyAdmin admin() {
        return admin;
    }

    @Override
    protected ApiKeyStore store() {
        return store;
    }
}
