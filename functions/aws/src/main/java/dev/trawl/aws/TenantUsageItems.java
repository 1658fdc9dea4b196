package dev.trawl.aws;

import dev.trawl.core.job.Job;
import dev.trawl.core.tenant.CeilingReached;
import dev.trawl.core.tenant.Ceilings;
import dev.trawl.core.tenant.TenantUsage;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.trawl.aws.DynamoTable.n;
import static dev.trawl.aws.DynamoTable.num;

/**
 * A tenant's usage item ({@code pk = TN#tenant, sk = USAGE}: {@code active_jobs}, {@code held_concurrency}), kept
 * exact under concurrent requests: a job is added in the transaction that stores it, conditioned on the ceilings, and
 * taken away in the transaction that makes it terminal, conditioned on the job still holding its
 * {@code usage_concurrency} mark, which that transaction removes, so that no job leaves the usage twice. Jobs stored
 * before usage was counted have no mark and leave nothing.
 */
final class TenantUsageItems {
    private static final int ATTEMPTS = 6;
    static final String MARK = "usage_concurrency";
    private final DynamoTable table;

    TenantUsageItems(DynamoTable table) {
        this.table = table;
    }

    TenantUsage read(String tenant) {
        return table.read(DynamoTable.tenantUsageKey(tenant))
                .map(item -> new TenantUsage(num(item, "active_jobs"), num(item, "held_concurrency")))
                .orElse(TenantUsage.NONE);
    }

    /**
     * Stores the job, counted, with {@code with} (an idempotency key's put, or null) in one transaction.
     *
     * @return the outcome of a transaction that a condition of {@code with} refused, or null when written
     * @throws CeilingReached when the job would pass a ceiling
     */
    DynamoTable.Transacted.Refused create(Job job, Ceilings ceilings, Put with) {
        int concurrency = job.settings().concurrency();
        Map<String, AttributeValue> item = new HashMap<>(DynamoTable.newJobItem(job));
        Put newJob;
        if (job.status().terminal()) {
            // born terminal (an inbox drop beyond its ceilings): it holds nothing, and no ceiling stops it
            newJob = Put.builder().tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)").build();
            var outcome = with == null
                    ? table.transact(ATTEMPTS, TransactWriteItem.builder().put(newJob).build())
                    : table.transact(ATTEMPTS, TransactWriteItem.builder().put(newJob).build(),
                            TransactWriteItem.builder().put(with).build());
            if (outcome instanceof DynamoTable.Transacted.Refused refused) {
                if (with != null && refused.by(1)) {
                    return refused;
                }
                throw refused.cause();
            }
            return null;
        }
        item.put(MARK, n(concurrency));
        newJob = Put.builder().tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)").build();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (concurrency > ceilings.maxConcurrency()) {
                // never fits: refused at once (the condition below would let an absent usage item through)
                TenantUsage usage = read(job.tenant());
                CeilingReached reached = ceilings.check(usage, concurrency);
                throw reached != null ? reached
                        : new CeilingReached(CeilingReached.Kind.CONCURRENCY, ceilings.maxConcurrency(), usage.concurrency());
            }
            Update count = Update.builder().tableName(table.name()).key(DynamoTable.tenantUsageKey(job.tenant()))
                    .updateExpression("ADD active_jobs :one, held_concurrency :c")
                    .conditionExpression("(attribute_not_exists(active_jobs) OR active_jobs <= :jobsRoom) AND "
                            + "(attribute_not_exists(held_concurrency) OR held_concurrency <= :concurrencyRoom)")
                    .expressionAttributeValues(Map.of(":one", n(1), ":c", n(concurrency),
                            ":jobsRoom", n((long) ceilings.maxActiveJobs() - 1),
                            ":concurrencyRoom", n((long) ceilings.maxConcurrency() - concurrency)))
                    .build();
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(TransactWriteItem.builder().put(newJob).build());
            if (with != null) {
                items.add(TransactWriteItem.builder().put(with).build());
            }
            items.add(TransactWriteItem.builder().update(count).build());
            var outcome = table.transact(ATTEMPTS, items.toArray(TransactWriteItem[]::new));
            if (!(outcome instanceof DynamoTable.Transacted.Refused refused)) {
                return null;
            }
            int usageIndex = items.size() - 1;
            if (refused.by(0)) {
                throw new IllegalStateException("job id reused: " + job.id(), refused.cause());
            }
            if (with != null && refused.by(1)) {
                return refused;
            }
            if (!refused.by(usageIndex)) {
                throw refused.cause();
            }
            CeilingReached reached = ceilings.check(read(job.tenant()), concurrency);
            if (reached != null) {
                throw reached;
            }
            // a job ended between the refusal and the read: there is room now, try again
        }
        throw new IllegalStateException("tenant usage kept changing");
    }

    /**
     * Makes a job terminal by {@code update} (which ends in a {@code REMOVE} clause) when {@code condition} holds,
     * taking it out of its tenant's usage in the same transaction if it counts there.
     */
    boolean toTerminal(Map<String, AttributeValue> key, String tenant, String update, String condition,
                       Map<String, AttributeValue> values) {
        if (!update.contains(" REMOVE ")) {
            throw new IllegalArgumentException("a terminal update removes the job from the deadline index");
        }
        Optional<Map<String, AttributeValue>> item = table.read(key);
        if (item.isEmpty()) {
            return false;
        }
        AttributeValue counted = item.get().get(MARK);
        if (counted == null) {
            return table.update(key, update, condition + " AND attribute_not_exists(" + MARK + ")", values);
        }
        Map<String, AttributeValue> jobValues = new HashMap<>(values);
        jobValues.put(":counted", counted);
        String jobCondition = "attribute_exists(pk) AND " + condition + " AND " + MARK + " = :counted";
        Update job = Update.builder().tableName(table.name()).key(key).updateExpression(update + ", " + MARK)
                .conditionExpression(jobCondition).expressionAttributeNames(DynamoTable.statusName(update, jobCondition))
                .expressionAttributeValues(jobValues).build();
        Update release = Update.builder().tableName(table.name()).key(DynamoTable.tenantUsageKey(tenant))
                .updateExpression("ADD active_jobs :minusOne, held_concurrency :minusC")
                .expressionAttributeValues(Map.of(":minusOne", n(-1), ":minusC", n(-Long.parseLong(counted.n()))))
                .build();
        return table.transact(ATTEMPTS, TransactWriteItem.builder().update(job).build(),
                TransactWriteItem.builder().update(release).build()) instanceof DynamoTable.Transacted.Written;
    }
}
