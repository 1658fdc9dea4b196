package dev.trawl.aws;

import dev.trawl.core.job.Job;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.tenant.Ceilings;
import software.amazon.awssdk.services.dynamodb.model.Put;

import java.time.Instant;
import java.util.Map;

import static dev.trawl.aws.DynamoTable.n;
import static dev.trawl.aws.DynamoTable.s;
import static dev.trawl.aws.DynamoTable.str;

/** Idempotency keys in {@link DynamoTable}, written in one transaction with the job they stand for. */
public final class DynamoIdempotencyKeys implements IdempotencyKeys {
    private static final int ATTEMPTS = 6;

    private final DynamoTable table;

    public DynamoIdempotencyKeys(DynamoTable table) {
        this.table = table;
    }

    @Override
    public IdempotentCreate createOnce(Job job, String idempotencyKey, String fingerprint, Instant now, Instant keyExpiresAt,
                                       Ceilings ceilings) {
        Put key = Put.builder().tableName(table.name())
                .item(DynamoTable.idempotencyItem(job.tenant(), idempotencyKey, job.id(), fingerprint, keyExpiresAt))
                // TTL deletes late: an expired key is free even while its item still exists.
                .conditionExpression("attribute_not_exists(pk) OR expires_at < :now")
                .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))).build();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // Two requests with one key at once: the transaction retries the conflict, then reads the winner's key.
            // the job, its key and its tenant's usage in one transaction; refused by the key: it was taken
            if (new TenantUsageItems(table).create(job, ceilings, key) == null) {
                return new IdempotentCreate.Created();
            }
            var taken = table.read(DynamoTable.idempotencyKey(job.tenant(), idempotencyKey));
            if (taken.isPresent()) {
                return new IdempotentCreate.Taken(str(taken.get(), "job_id"), str(taken.get(), "fingerprint"));
            }
            // the key expired and went between the refusal and the read: try again
        }
        throw new IllegalStateException("idempotency key kept changing");
    }

    @Override
    public void forget(String tenant, String idempotencyKey, String jobId) {
        // someone else took the key meanwhile: theirs stands
        table.deleteIf(DynamoTable.idempotencyKey(tenant, idempotencyKey), "job_id = :job", Map.of(":job", s(jobId)));
    }
}
