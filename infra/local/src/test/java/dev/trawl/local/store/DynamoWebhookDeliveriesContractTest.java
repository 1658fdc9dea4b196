package dev.trawl.local.store;

import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.core.testing.contract.WebhookDeliveriesContract;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB adapters keep the {@link dev.trawl.core.port.WebhookDeliveries} contract on DynamoDB Local. */
@ExtendWith(LocalStackExtension.class)
class DynamoWebhookDeliveriesContractTest extends WebhookDeliveriesContract {
    private final JobTable table;

    DynamoWebhookDeliveriesContractTest(LocalRuntime runtime) {
        table = ContractTable.ports(runtime);
    }

    @Override
    protected JobTable table() {
        return table;
    }
}
