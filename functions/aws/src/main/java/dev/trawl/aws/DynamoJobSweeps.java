package dev.trawl.aws;

import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.JobSweeps;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static dev.trawl.aws.DynamoTable.s;

/**
 * The reaper's reads across tenants, on the deadline index of {@link DynamoTable}: it holds live jobs only, spread
 * over a few shards so that no partition takes every job's writes.
 */
public final class DynamoJobSweeps implements JobSweeps {
    private final DynamoTable table;

    public DynamoJobSweeps(DynamoTable table) {
        this.table = table;
    }

    @Override
    public List<JobRef> overdue(Instant now, int limit) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int shard = 0; shard < DynamoTable.DEADLINE_SHARDS; shard++) {
            // each shard is in deadline order: its first `limit` overdue jobs are all it can add
            items.addAll(table.queryPage(QueryRequest.builder().indexName(DynamoTable.BY_DEADLINE)
                    .keyConditionExpression("active_pk = :p AND active_sk < :now")
                    .expressionAttributeValues(Map.of(":p", DynamoTable.deadlineShard(shard),
                            ":now", DynamoTable.deadlinesBefore(now)))
                    .limit(limit)).items());
        }
        items.sort(Comparator.comparing(item -> item.get("active_sk").s()));
        return items.stream().limit(limit).map(DynamoTable::toJobRef).toList();
    }

    @Override
    public List<JobRef> idle(Instant before, int limit) {
        List<JobRef> jobs = new ArrayList<>();
        for (int shard = 0; shard < DynamoTable.DEADLINE_SHARDS && jobs.size() < limit; shard++) {
            Map<String, AttributeValue> start = null;
            do {
                DynamoTable.Page page = table.queryPage(QueryRequest.builder().indexName(DynamoTable.BY_DEADLINE)
                        .keyConditionExpression("active_pk = :p")
                        .filterExpression("updated_at < :before")
                        .expressionAttributeValues(Map.of(":p", DynamoTable.deadlineShard(shard), ":before", s(before.toString())))
                        .exclusiveStartKey(start));
                page.items().forEach(item -> jobs.add(DynamoTable.toJobRef(item)));
                start = page.next();
            } while (start != null && jobs.size() < limit);
        }
        return jobs.size() > limit ? List.copyOf(jobs.subList(0, limit)) : jobs;
    }

    @Override
    public void touch(String tenant, String jobId, Instant now) {
        // a job that ended meanwhile has left the index: nothing to wait for
        table.updateIf(DynamoTable.jobKey(tenant, jobId), "SET updated_at = :now", "attribute_exists(active_pk)",
                Map.of(":now", s(now.toString())));
    }
}
