package dev.trawl.aws;

import dev.trawl.core.job.Job;
import dev.trawl.core.port.IdempotencyKeys;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

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
    public IdempotentCreate createOnce(Job job, String idempotencyKey, String fingerprint, Instant now, Instant keyExpiresAt) {
        Put newJob = Put.builder().tableName(table.name()).item(DynamoTable.newJobItem(job))
                .conditionExpression("attribute_not_exists(pk)").build();
        Put key = Put.builder().tableName(table.name())
                .item(DynamoTable.idempotencyItem(job.tenant(), idempotencyKey, job.id(), fingerprint, keyExpiresAt))
                // TTL deletes late: an expired key is free even while its item still exists.
                .conditionExpression("attribute_not_exists(pk) OR expires_at < :now")
                .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))).build();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // Two requests with one key at once: the transaction retries the conflict, then reads the winner's key.
            var outcome = table.transact(ATTEMPTS, TransactWriteItem.builder().put(newJob).build(),
                    TransactWriteItem.builder().put(key).build());
            if (outcome instanceof DynamoTable.Transacted.Refused refused) {
                if (!refused.by(1)) {
                    throw refused.cause();
                }
            } else {
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
