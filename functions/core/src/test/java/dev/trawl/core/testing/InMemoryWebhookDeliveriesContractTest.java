package dev.trawl.core.testing;

import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.core.testing.contract.WebhookDeliveriesContract;

/** The fake of the job table keeps the {@link dev.trawl.core.port.WebhookDeliveries} contract that DynamoDB keeps. */
class InMemoryWebhookDeliveriesContractTest extends WebhookDeliveriesContract {
    private final InMemoryJobStore store = new InMemoryJobStore();

    @Override
    protected JobTable table() {
        return new JobTable(store, store, store, store, store);
    }
}
