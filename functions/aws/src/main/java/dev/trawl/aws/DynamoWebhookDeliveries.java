package dev.trawl.aws;

import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.port.WebhookDeliveries;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.util.List;
import java.util.Map;

import static dev.trawl.aws.DynamoTable.s;

/** Webhook attempts in the job's own partition of {@link DynamoTable}, beside its chunk commits; purged with it. */
public final class DynamoWebhookDeliveries implements WebhookDeliveries {
    private final DynamoTable table;

    public DynamoWebhookDeliveries(DynamoTable table) {
        this.table = table;
    }

    @Override
    public void record(String tenant, String jobId, WebhookDelivery delivery) {
        table.put(DynamoTable.deliveryItem(tenant, jobId, delivery));
    }

    @Override
    public List<WebhookDelivery> latest(String tenant, String jobId, int limit) {
        // newest first, then turned around: the latest attempts when there are more than the limit
        var page = table.queryPage(QueryRequest.builder().consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :d)")
                .filterExpression("tenant = :tenant")
                .expressionAttributeValues(Map.of(":pk", DynamoTable.jobPartition(jobId), ":d", DynamoTable.deliveryPrefix(),
                        ":tenant", s(tenant)))
                .scanIndexForward(false)
                .limit(limit));
        return page.items().stream().map(DynamoTable::toDelivery).toList().reversed();
    }
}
