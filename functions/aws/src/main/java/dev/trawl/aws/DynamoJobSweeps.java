package dev.trawl.aws;

import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.JobSweeps;
import dev.trawl.core.util.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

import static dev.trawl.aws.DynamoTable.s;

/**
 * The reaper's reads across tenants, on the deadline index of {@link DynamoTable}: it holds live jobs only, spread
 * over a few shards so that no partition takes every job's writes.
 */
public final class DynamoJobSweeps implements JobSweeps {
    private static final String CURSOR_ATTRIBUTE = "sweep_cursor";
    private final DynamoTable table;

    public DynamoJobSweeps(DynamoTable table) {
        this.table = table;
    }

    @Override
    public void touch(String tenant, String jobId, Instant now) {
        // a job that ended meanwhile has left the index: nothing to wait for
        table.updateIf(DynamoTable.jobKey(tenant, jobId), "SET updated_at = :now", "attribute_exists(active_pk)",
                Map.of(":now", s(now.toString())));
    }

    @Override
    public Page overduePage(Instant now, String cursor, int limit) {
        return page(cursor, shard -> QueryRequest.builder().indexName(DynamoTable.BY_DEADLINE)
                .keyConditionExpression("active_pk = :p AND active_sk < :now")
                .expressionAttributeValues(Map.of(":p", DynamoTable.deadlineShard(shard),
                        ":now", DynamoTable.deadlinesBefore(now)))
                .limit(limit));
    }

    @Override
    public Page idlePage(Instant before, String cursor, int limit) {
        // The filter applies after the limit: a page reads `limit` entries at most, idle or not.
        return page(cursor, shard -> QueryRequest.builder().indexName(DynamoTable.BY_DEADLINE)
                .keyConditionExpression("active_pk = :p")
                .filterExpression("updated_at < :before")
                .expressionAttributeValues(Map.of(":p", DynamoTable.deadlineShard(shard), ":before", s(before.toString())))
                .limit(limit));
    }

    /** One Query of one shard, from the cursor's place; the next cursor is the next shard's start once it is read through. */
    private Page page(String cursor, IntFunction<QueryRequest.Builder> query) {
        SweepCursor from = SweepCursor.parse(cursor);
        DynamoTable.Page page = table.queryPage(query.apply(from.shard()).exclusiveStartKey(from.startKey()));
        List<JobRef> jobs = page.items().stream().map(DynamoTable::toJobRef).toList();
        SweepCursor next = page.next() != null ? new SweepCursor(from.shard(), page.next())
                : from.shard() + 1 < DynamoTable.DEADLINE_SHARDS ? new SweepCursor(from.shard() + 1, null) : null;
        return new Page(jobs, page.scanned(), next == null ? null : next.format());
    }

    @Override
    public String cursor(String pass) {
        return table.read(DynamoTable.sweepCursorKey(pass))
                .map(item -> item.get(CURSOR_ATTRIBUTE))
                .map(AttributeValue::s)
                .orElse(null);
    }

    @Override
    public void saveCursor(String pass, String cursor) {
        Map<String, AttributeValue> key = DynamoTable.sweepCursorKey(pass);
        // UpdateItem makes the item the first time (the reaper may update, not put); the condition only names the key
        table.updateIf(key, cursor == null ? "REMOVE " + CURSOR_ATTRIBUTE : "SET " + CURSOR_ATTRIBUTE + " = :c",
                "attribute_not_exists(pk) OR pk = :pk",
                cursor == null ? Map.of(":pk", key.get("pk")) : Map.of(":pk", key.get("pk"), ":c", s(cursor)));
    }

    /** A place in the index: a shard, and the last key read in it (none: the shard's start). Written as JSON. */
    private record SweepCursor(int shard, Map<String, AttributeValue> startKey) {
        static SweepCursor parse(String cursor) {
            if (cursor == null) {
                return new SweepCursor(0, null);
            }
            try {
                Stored stored = Json.read(cursor, Stored.class);
                if (stored.shard() < 0 || stored.shard() >= DynamoTable.DEADLINE_SHARDS) {
                    return new SweepCursor(0, null);
                }
                Map<String, AttributeValue> key = stored.key() == null ? null : new LinkedHashMap<>();
                if (stored.key() != null) {
                    stored.key().forEach((name, value) -> key.put(name, s(value)));
                }
                return new SweepCursor(stored.shard(), key);
            } catch (RuntimeException e) {
                return new SweepCursor(0, null); // not one of ours (or an older form): the sweep starts over
            }
        }

        String format() {
            Map<String, String> key = null;
            if (startKey != null) {
                key = new TreeMap<>();
                for (Map.Entry<String, AttributeValue> entry : startKey.entrySet()) {
                    key.put(entry.getKey(), entry.getValue().s());
                }
            }
            return Json.write(new Stored(shard, key));
        }
    }

    private record Stored(int shard, Map<String, String> key) {
    }
}
