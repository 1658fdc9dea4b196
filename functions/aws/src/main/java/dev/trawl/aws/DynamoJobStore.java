package dev.trawl.aws;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.util.Json;
import dev.trawl.core.work.ChunkResult;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Jobs in the one table: a job at {@code pk = T#tenant, sk = J#jobId} (ids sort by time, so a Query in reverse
 * lists newest first without a Scan), its chunk commits at {@code pk = J#jobId, sk = C#0000000}.
 */
public final class DynamoJobStore implements JobStore {
    private final DynamoDbClient db;
    private final String table;

    public DynamoJobStore(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    static Map<String, AttributeValue> jobKey(String tenant, String jobId) {
        return Map.of("pk", s("T#" + tenant), "sk", s("J#" + jobId));
    }

    static Map<String, AttributeValue> chunkKey(String jobId, int chunk) {
        return Map.of("pk", s("J#" + jobId), "sk", s(String.format("C#%07d", chunk)));
    }

    @Override
    public void create(Job job) {
        Map<String, AttributeValue> item = new HashMap<>(jobKey(job.tenant(), job.id()));
        item.put("id", s(job.id()));
        item.put("tenant", s(job.tenant()));
        if (job.name() != null) {
            item.put("name", s(job.name()));
        }
        item.put("status", s(job.status().wire()));
        item.put("created_at", s(job.createdAt().toString()));
        item.put("updated_at", s(job.updatedAt().toString()));
        item.put("urls_ok", n(0));
        item.put("urls_errored", n(0));
        item.put("urls_skipped", n(0));
        item.put("urls_filtered", n(job.urlsFiltered()));
        item.put("chunks_done", n(0));
        item.put("concurrency", n(job.concurrency()));
        item.put("input_type", s(job.inputType()));
        item.put("input_key", s(job.inputKey()));
        item.put("output_format", s(job.output().format()));
        item.put("output_gzip", AttributeValue.fromBool(job.output().gzip()));
        item.put("defaults", s(Json.write(job.defaults())));
        item.put("plan_state", s(job.planState().wire()));
        item.put("fetch_state", s(job.fetchState().wire()));
        item.put("finalize_state", s(job.finalizeState().wire()));
        item.put("download_ttl_s", n(job.downloadUrlTtlSeconds()));
        db.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public Optional<Job> find(String tenant, String jobId) {
        var item = db.getItem(b -> b.tableName(table).key(jobKey(tenant, jobId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toJob(item));
    }

    @Override
    public JobPage list(String tenant, int limit, String afterJobId) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :jobs)")
                .expressionAttributeValues(Map.of(":pk", s("T#" + tenant), ":jobs", s("J#")))
                .scanIndexForward(false)
                // One more than the page, so that a full last page does not promise a next one.
                .limit(limit + 1);
        if (afterJobId != null) {
            query.exclusiveStartKey(jobKey(tenant, afterJobId));
        }
        List<Job> jobs = db.query(query.build()).items().stream().map(DynamoJobStore::toJob).toList();
        boolean more = jobs.size() > limit;
        List<Job> page = more ? jobs.subList(0, limit) : jobs;
        return new JobPage(page, more ? page.getLast().id() : null);
    }

    @Override
    public boolean markPlanned(String tenant, String jobId, long urlsTotal, int chunksTotal, Instant now) {
        return conditionalUpdate(jobKey(tenant, jobId),
                "SET #status = :running, started_at = :now, updated_at = :now, urls_total = :total, "
                        + "chunks_total = :chunks, plan_state = :done, fetch_state = :running",
                "#status = :queued",
                Map.of(":running", s("running"), ":now", s(now.toString()), ":total", n(urlsTotal),
                        ":chunks", n(chunksTotal), ":done", s("done"), ":queued", s("queued")));
    }

    @Override
    public ChunkCommit commitChunk(String tenant, String jobId, ChunkResult result, Instant now) {
        Map<String, AttributeValue> chunkItem = new HashMap<>(chunkKey(jobId, result.chunk()));
        chunkItem.put("chunk", n(result.chunk()));
        chunkItem.put("first_line", n(result.firstLine()));
        chunkItem.put("rows", n(result.rows()));
        chunkItem.put("part_key", s(result.partKey()));
        chunkItem.put("ok", n(result.counters().ok()));
        chunkItem.put("errored", n(result.counters().errored()));
        chunkItem.put("skipped", n(result.counters().skipped()));
        chunkItem.put("committed_at", s(now.toString()));
        Put put = Put.builder().tableName(table).item(chunkItem).conditionExpression("attribute_not_exists(pk)").build();
        Update update = Update.builder().tableName(table).key(jobKey(tenant, jobId))
                .updateExpression("ADD urls_ok :ok, urls_errored :errored, urls_skipped :skipped, chunks_done :one "
                        + "SET updated_at = :now")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":ok", n(result.counters().ok()),
                        ":errored", n(result.counters().errored()), ":skipped", n(result.counters().skipped()),
                        ":one", n(1), ":now", s(now.toString())))
                .build();
        try {
            db.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(put).build(), TransactWriteItem.builder().update(update).build()));
            return ChunkCommit.COMMITTED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.getFirst().code())) {
                return ChunkCommit.ALREADY_COMMITTED;
            }
            throw e;
        }
    }

    @Override
    public Optional<ChunkResult> committedChunk(String jobId, int chunk) {
        var item = db.getItem(b -> b.tableName(table).key(chunkKey(jobId, chunk)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toChunk(item));
    }

    @Override
    public boolean claimFinalize(String tenant, String jobId, Instant now) {
        return conditionalUpdate(jobKey(tenant, jobId),
                "SET fetch_state = :done, finalize_state = :running, updated_at = :now",
                "#status = :running AND chunks_done = chunks_total AND finalize_state = :pending",
                Map.of(":done", s("done"), ":running", s("running"), ":pending", s("pending"), ":now", s(now.toString())));
    }

    @Override
    public void releaseFinalize(String tenant, String jobId) {
        conditionalUpdate(jobKey(tenant, jobId), "SET fetch_state = :running, finalize_state = :pending",
                "finalize_state = :running", Map.of(":running", s("running"), ":pending", s("pending")));
    }

    @Override
    public Iterable<ChunkResult> committedChunks(String jobId) {
        return () -> new Iterator<>() {
            private Iterator<Map<String, AttributeValue>> page = List.<Map<String, AttributeValue>>of().iterator();
            private Map<String, AttributeValue> startKey;
            private boolean last;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !last) {
                    QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                            .keyConditionExpression("pk = :pk AND begins_with(sk, :chunks)")
                            .expressionAttributeValues(Map.of(":pk", s("J#" + jobId), ":chunks", s("C#")))
                            .limit(500);
                    if (startKey != null) {
                        query.exclusiveStartKey(startKey);
                    }
                    QueryResponse response = db.query(query.build());
                    page = response.items().iterator();
                    startKey = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                            ? response.lastEvaluatedKey() : null;
                    last = startKey == null;
                }
                return page.hasNext();
            }

            @Override
            public ChunkResult next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return toChunk(page.next());
            }
        };
    }

    @Override
    public boolean complete(String tenant, String jobId, List<ResultPart> parts, Instant now) {
        List<Map<String, Object>> partList = new ArrayList<>();
        for (ResultPart part : parts) {
            partList.add(Map.of("key", part.key(), "url", part.url(), "url_expires_at", part.urlExpiresAt().toString(),
                    "bytes", part.bytes(), "rows", part.rows(), "sha256", part.sha256()));
        }
        return conditionalUpdate(jobKey(tenant, jobId),
                "SET #status = :completed, completed_at = :now, updated_at = :now, finalize_state = :done, "
                        + "result_parts = :parts",
                "#status = :running",
                Map.of(":completed", s("completed"), ":now", s(now.toString()), ":done", s("done"),
                        ":parts", s(Json.write(partList)), ":running", s("running")));
    }

    private boolean conditionalUpdate(Map<String, AttributeValue> key, String update, String condition,
                                      Map<String, AttributeValue> values) {
        Map<String, String> names = update.contains("#status") || condition.contains("#status")
                ? Map.of("#status", "status") : null;
        try {
            db.updateItem(b -> b.tableName(table).key(key).updateExpression(update)
                    .conditionExpression("attribute_exists(pk) AND " + condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    static Job toJob(Map<String, AttributeValue> item) {
        return new Job(
                str(item, "id"),
                str(item, "tenant"),
                str(item, "name"),
                JobStatus.fromWire(str(item, "status")),
                instant(item, "created_at"),
                instant(item, "started_at"),
                instant(item, "completed_at"),
                instant(item, "updated_at"),
                item.containsKey("urls_total") ? num(item, "urls_total") : null,
                new Counters(num(item, "urls_ok"), num(item, "urls_errored"), num(item, "urls_skipped")),
                num(item, "urls_filtered"),
                (int) num(item, "concurrency"),
                str(item, "input_type"),
                str(item, "input_key"),
                new OutputSpec(str(item, "output_format"), item.get("output_gzip").bool()),
                Json.read(str(item, "defaults"), FetchOptions.class),
                PhaseState.fromWire(str(item, "plan_state")),
                item.containsKey("chunks_total") ? (int) num(item, "chunks_total") : null,
                PhaseState.fromWire(str(item, "fetch_state")),
                (int) num(item, "chunks_done"),
                PhaseState.fromWire(str(item, "finalize_state")),
                num(item, "download_ttl_s"),
                item.containsKey("failure_code") ? new Failure(str(item, "failure_code"), str(item, "failure_message")) : null,
                item.containsKey("result_parts") ? parts(str(item, "result_parts")) : null);
    }

    private static List<ResultPart> parts(String json) {
        List<Map<String, Object>> raw;
        try {
            raw = Json.MAPPER.readValue(json, new TypeReference<>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable result_parts", e);
        }
        return raw.stream().map(p -> new ResultPart((String) p.get("key"), (String) p.get("url"),
                Instant.parse((String) p.get("url_expires_at")), ((Number) p.get("bytes")).longValue(),
                ((Number) p.get("rows")).longValue(), (String) p.get("sha256"))).toList();
    }

    private static ChunkResult toChunk(Map<String, AttributeValue> item) {
        return new ChunkResult((int) num(item, "chunk"), num(item, "first_line"), num(item, "rows"),
                str(item, "part_key"), new Counters(num(item, "ok"), num(item, "errored"), num(item, "skipped")));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = str(item, name);
        return value == null ? null : Instant.parse(value);
    }
}
