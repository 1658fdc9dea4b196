package dev.trawl.aws;

import dev.trawl.core.port.RequestBuckets;
import dev.trawl.core.tenant.TenantLimits;
import dev.trawl.core.tenant.TokenBucket;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static dev.trawl.aws.DynamoTable.n;
import static dev.trawl.aws.DynamoTable.num;

/**
 * Request buckets in {@link DynamoTable}, one item per tenant at {@code pk = RL#tenant, sk = RL}: its tokens (in
 * thousandths) and the time they were counted at. A request reads the item (eventually: half the cost) and writes the
 * bucket it leaves, conditioned on the item being as read; a request that lost the race reads again, consistently.
 * A refused request writes nothing.
 */
public final class DynamoRequestBuckets implements RequestBuckets {
    private static final int ATTEMPTS = 8;
    private final DynamoTable table;

    public DynamoRequestBuckets(DynamoTable table) {
        this.table = table;
    }

    @Override
    public long take(String tenant, TenantLimits limits, Instant now) {
        Map<String, AttributeValue> key = DynamoTable.requestBucketKey(tenant);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Map<String, AttributeValue>> item = attempt == 0 ? table.readEventually(key) : table.read(key);
            TokenBucket before = item.map(i -> new TokenBucket(num(i, "tokens_milli"), num(i, "at_ms")))
                    .orElse(TokenBucket.full(limits, now));
            TokenBucket.Take take = before.take(limits, now);
            if (!take.served()) {
                return take.retryAfterSeconds();
            }
            boolean written = item.isPresent()
                    ? table.updateIf(key, "SET tokens_milli = :tokens, at_ms = :at",
                            "tokens_milli = :was AND at_ms = :wasAt",
                            Map.of(":tokens", n(take.after().milliTokens()), ":at", n(take.after().atMillis()),
                                    ":was", n(before.milliTokens()), ":wasAt", n(before.atMillis())))
                    : table.updateIf(key, "SET tokens_milli = :tokens, at_ms = :at", "attribute_not_exists(pk)",
                            Map.of(":tokens", n(take.after().milliTokens()), ":at", n(take.after().atMillis())));
            if (written) {
                return 0;
            }
        }
        // Many requests of one tenant racing on its bucket: it is busy, and this one waits a second.
        return 1;
    }
}
