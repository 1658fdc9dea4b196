package dev.trawl.aws;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.metrics.LatencyHistogram;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.JobSweeps;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.util.Hashing;
import dev.trawl.core.util.Json;
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
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Jobs in the one table.
 * <ul>
 *   <li>a job at {@code pk = T#tenant, sk = J#jobId}; ids sort by time, so a reverse Query lists newest first;</li>
 *   <li>index {@value #BY_STATUS}: {@code status_pk = T#tenant#S#status, status_sk = jobId}, for status filters;</li>
 *   <li>index {@value #BY_DEADLINE}: {@code active_pk = A#shard, active_sk = deadline#jobId}, only while the job
 *       is live, for the reaper;</li>
 *   <li>chunk commits at {@code pk = J#jobId, sk = C#0000000};</li>
 *   <li>idempotency keys at {@code pk = I#tenant#sha256(key), sk = I}, expiring through {@code expires_at}.</li>
 * </ul>
 * No call Scans; every list page reads a bounded number of items.
 */
public final class DynamoJobStore implements JobStore, ChunkLedger, IdempotencyKeys, WebhookDeliveries, JobSweeps {
    public static final String BY_STATUS = "by_status";
    public static final String BY_DEADLINE = "by_deadline";
    static final int DEADLINE_SHARDS = 8;
    /** Items a filtered list page may read from one partition before it answers with what it has. */
    static final int LIST_READ_BUDGET = 500;
    private static final Map<String, String> STATUS_NAME = Map.of("#status", "status");

    private final DynamoDbClient db;
    private final String table;

    public DynamoJobStore(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    static Map<String, AttributeValue> jobKey(String tenant, String jobId) {
        return Map.of("pk", s("T#" + tenant), "sk", s("J#" + jobId));
    }

    static Map<String, AttributeValue> deliveryKey(String jobId, WebhookDelivery delivery) {
        return Map.of("pk", s("J#" + jobId),
                "sk", s(String.format("D#%013d#%05d", delivery.at().toEpochMilli(), delivery.attempt())));
    }

    /** A continuation's key sorts right after the segment before it: "C#0000042" < "C#0000042+0000037" < "C#0000043". */
    static Map<String, AttributeValue> chunkKey(String jobId, int chunk, int start) {
        String sk = start == 0 ? String.format("C#%07d", chunk) : String.format("C#%07d+%07d", chunk, start);
        return Map.of("pk", s("J#" + jobId), "sk", s(sk));
    }

    private static Map<String, AttributeValue> idempotencyKey(String tenant, String key) {
        return Map.of("pk", s("I#" + tenant + "#" + Hashing.sha256Hex(key)), "sk", s("I"));
    }

    private static AttributeValue statusPartition(String tenant, JobStatus status) {
        return s("T#" + tenant + "#S#" + status.wire());
    }

    // ---- creating ------------------------------------------------------------------------------------

    private Map<String, AttributeValue> newJobItem(Job job) {
        Map<String, AttributeValue> item = new HashMap<>(jobKey(job.tenant(), job.id()));
        item.put("id", s(job.id()));
        item.put("tenant", s(job.tenant()));
        if (job.name() != null) {
            item.put("name", s(job.name()));
        }
        item.put("status", s(job.status().wire()));
        item.put("created_at", s(job.createdAt().toString()));
        item.put("updated_at", s(job.updatedAt().toString()));
        for (String counter : List.of("urls_done", "urls_ok", "urls_errored", "urls_skipped", "urls_filtered",
                "chunks_done", "bytes_fetched", "attempts")) {
            item.put(counter, n(0));
        }
        item.put("lat", AttributeValue.fromM(Map.of()));
        item.put("err", AttributeValue.fromM(Map.of()));
        item.put("input_type", s(job.input().type()));
        item.put("input_key", s(job.input().key()));
        if (job.input().format() != null) {
            item.put("input_format", s(job.input().format().wire()));
        }
        if (job.input().uploadId() != null) {
            item.put("upload_id", s(job.input().uploadId()));
        }
        if (job.input().bucket() != null) {
            item.put("input_bucket", s(job.input().bucket()));
        }
        if (job.input().roleArn() != null) {
            item.put("input_role_arn", s(job.input().roleArn()));
        }
        if (job.urlsTotal() != null) {
            item.put("urls_total", n(job.urlsTotal()));
        }
        item.put("settings", s(Json.write(job.settings())));
        if (job.retryOf() != null) {
            item.put("retry_of", s(job.retryOf()));
        }
        item.put("plan_state", s(job.planState().wire()));
        item.put("fetch_state", s(job.fetchState().wire()));
        item.put("finalize_state", s(job.finalizeState().wire()));
        item.put("status_pk", statusPartition(job.tenant(), job.status()));
        item.put("status_sk", s(job.id()));
        if (!job.status().terminal()) {
            item.put("active_pk", s("A#" + Math.floorMod(job.id().hashCode(), DEADLINE_SHARDS)));
            item.put("active_sk", s(String.format("%013d#%s", job.deadline().toEpochMilli(), job.id())));
        }
        return item;
    }

    @Override
    public void create(Job job) {
        db.putItem(b -> b.tableName(table).item(newJobItem(job)).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public IdempotentCreate createOnce(Job job, String idempotencyKey, String fingerprint, Instant now, Instant keyExpiresAt) {
        Map<String, AttributeValue> keyItem = new HashMap<>(idempotencyKey(job.tenant(), idempotencyKey));
        keyItem.put("job_id", s(job.id()));
        keyItem.put("fingerprint", s(fingerprint));
        keyItem.put("expires_at", n(keyExpiresAt.getEpochSecond()));
        for (int attempt = 0; attempt < 6; attempt++) {
            try {
                db.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(Put.builder().tableName(table).item(newJobItem(job))
                                .conditionExpression("attribute_not_exists(pk)").build()).build(),
                        TransactWriteItem.builder().put(Put.builder().tableName(table).item(keyItem)
                                // TTL deletes late: an expired key is free even while its item still exists.
                                .conditionExpression("attribute_not_exists(pk) OR expires_at < :now")
                                .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))).build()).build()));
                return new IdempotentCreate.Created();
            } catch (TransactionCanceledException e) {
                if (conflicted(e)) {
                    // Two requests with one key at once: the other one's transaction is in flight; read its outcome.
                    backOff(attempt);
                    continue;
                }
                if (!failedOn(e, 1)) {
                    throw e;
                }
            }
            var taken = db.getItem(b -> b.tableName(table).key(idempotencyKey(job.tenant(), idempotencyKey))
                    .consistentRead(true)).item();
            if (taken != null && !taken.isEmpty()) {
                return new IdempotentCreate.Taken(str(taken, "job_id"), str(taken, "fingerprint"));
            }
        }
        throw new IllegalStateException("idempotency key kept changing");
    }

    @Override
    public void forget(String tenant, String idempotencyKey, String jobId) {
        try {
            db.deleteItem(b -> b.tableName(table).key(idempotencyKey(tenant, idempotencyKey))
                    .conditionExpression("job_id = :job").expressionAttributeValues(Map.of(":job", s(jobId))));
        } catch (ConditionalCheckFailedException e) {
            // someone else took the key meanwhile: theirs stands
        }
    }

    private static boolean conflicted(TransactionCanceledException e) {
        return e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(Math.min(1_000, 20L << attempt) + java.util.concurrent.ThreadLocalRandom.current().nextLong(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", e);
        }
    }

    private static boolean failedOn(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    // ---- reading -------------------------------------------------------------------------------------

    @Override
    public Optional<Job> find(String tenant, String jobId) {
        var item = db.getItem(b -> b.tableName(table).key(jobKey(tenant, jobId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toJob(item));
    }

    @Override
    public JobPage list(String tenant, JobQuery query) {
        int want = query.limit() + 1;
        List<Job> found = new ArrayList<>();
        String floor = null;
        if (query.statuses() == null) {
            Partition read = readPartition(null, s("T#" + tenant), "pk", "sk", "J#", query, want);
            found.addAll(read.jobs());
            floor = read.frontier();
        } else {
            for (JobStatus status : query.statuses()) {
                Partition read = readPartition(BY_STATUS, statusPartition(tenant, status), "status_pk", "status_sk", "",
                        query, want);
                found.addAll(read.jobs());
                if (read.frontier() != null && (floor == null || read.frontier().compareTo(floor) > 0)) {
                    floor = read.frontier();
                }
            }
        }
        found.sort(Comparator.comparing(Job::id).reversed());
        if (floor != null) {
            String bound = floor;
            // Below a partition's frontier (its last job read) nothing is known yet: the page stops there and the
            // cursor resumes below it.
            found.removeIf(job -> job.id().compareTo(bound) < 0);
        }
        if (found.size() > query.limit()) {
            List<Job> page = List.copyOf(found.subList(0, query.limit()));
            return new JobPage(page, page.getLast().id());
        }
        return new JobPage(List.copyOf(found), floor);
    }

    /** Matching jobs of one partition, and where reading stopped when the read budget ran out first. */
    private record Partition(List<Job> jobs, String frontier) {
    }

    private Partition readPartition(String index, AttributeValue partition, String pkName, String skName, String skPrefix,
                                    JobQuery query, int want) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":p", partition);
        String condition;
        if (query.beforeId() != null) {
            condition = pkName + " = :p AND " + skName + " < :before";
            values.put(":before", s(skPrefix + query.beforeId()));
        } else if (!skPrefix.isEmpty()) {
            condition = pkName + " = :p AND begins_with(" + skName + ", :prefix)";
            values.put(":prefix", s(skPrefix));
        } else {
            condition = pkName + " = :p";
        }
        String filter = null;
        Map<String, String> names = null;
        if (query.namePrefix() != null) {
            filter = "begins_with(#name, :name)";
            names = Map.of("#name", "name");
            values.put(":name", s(query.namePrefix()));
        }
        List<Job> jobs = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int read = 0;
        while (true) {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(index)
                    .keyConditionExpression(condition).filterExpression(filter)
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .scanIndexForward(false).limit(Math.min(LIST_READ_BUDGET - read, Math.max(want - jobs.size(), 10)))
                    .consistentRead(index == null ? Boolean.TRUE : null);
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse response = db.query(request.build());
            read += response.scannedCount();
            response.items().forEach(item -> jobs.add(toJob(item)));
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
            if (start == null || jobs.size() >= want) {
                return new Partition(jobs, null);
            }
            if (read >= LIST_READ_BUDGET) {
                String frontier = start.get(skName).s().substring(skPrefix.length());
                return new Partition(jobs, frontier);
            }
        }
    }

    @Override
    public Optional<ChunkResult> committedChunk(String jobId, int chunk, int start) {
        var item = db.getItem(b -> b.tableName(table).key(chunkKey(jobId, chunk, start)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toChunk(item));
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
    public List<JobRef> overdue(Instant now, int limit) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        String bound = String.format("%013d#", now.toEpochMilli());
        for (int shard = 0; shard < DEADLINE_SHARDS; shard++) {
            String partition = "A#" + shard;
            items.addAll(db.query(b -> b.tableName(table).indexName(BY_DEADLINE)
                    .keyConditionExpression("active_pk = :p AND active_sk < :now")
                    .expressionAttributeValues(Map.of(":p", s(partition), ":now", s(bound)))
                    .limit(limit)).items());
        }
        items.sort(Comparator.comparing(item -> item.get("active_sk").s()));
        return items.stream().limit(limit).map(item -> new JobRef(str(item, "tenant"), str(item, "id"))).toList();
    }

    @Override
    public List<JobRef> idle(Instant before, int limit) {
        List<JobRef> jobs = new ArrayList<>();
        for (int shard = 0; shard < DEADLINE_SHARDS && jobs.size() < limit; shard++) {
            String partition = "A#" + shard;
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = db.query(b -> b.tableName(table).indexName(BY_DEADLINE)
                        .keyConditionExpression("active_pk = :p")
                        .filterExpression("updated_at < :before")
                        .expressionAttributeValues(Map.of(":p", s(partition), ":before", s(before.toString())))
                        .exclusiveStartKey(from));
                page.items().forEach(item -> jobs.add(new JobRef(str(item, "tenant"), str(item, "id"))));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && jobs.size() < limit);
        }
        return jobs.size() > limit ? List.copyOf(jobs.subList(0, limit)) : jobs;
    }

    @Override
    public void touch(String tenant, String jobId, Instant now) {
        try {
            db.updateItem(b -> b.tableName(table).key(jobKey(tenant, jobId))
                    .updateExpression("SET updated_at = :now")
                    .conditionExpression("attribute_exists(active_pk)")
                    .expressionAttributeValues(Map.of(":now", s(now.toString()))));
        } catch (ConditionalCheckFailedException e) {
            // it ended meanwhile: nothing to wait for
        }
    }

    /**
     * A webhook attempt sits in the job's own partition beside its chunk commits ({@code D#} before {@code C#}),
     * keyed by time and attempt so that a page in key order is a page in time order.
     */
    @Override
    public void record(String tenant, String jobId, WebhookDelivery delivery) {
        Map<String, AttributeValue> item = new HashMap<>(deliveryKey(jobId, delivery));
        item.put("tenant", s(tenant));
        item.put("event_id", s(delivery.eventId()));
        item.put("type", s(delivery.type()));
        item.put("attempt", n(delivery.attempt()));
        item.put("at", s(delivery.at().toString()));
        if (delivery.httpStatus() != null) {
            item.put("http_status", n(delivery.httpStatus()));
        }
        item.put("latency_ms", n(delivery.latencyMs()));
        if (delivery.error() != null) {
            item.put("error", s(delivery.error()));
        }
        db.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public List<WebhookDelivery> latest(String tenant, String jobId, int limit) {
        // newest first, then turned around: the latest attempts when there are more than the limit
        QueryResponse response = db.query(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :d)")
                .filterExpression("tenant = :tenant")
                .expressionAttributeValues(Map.of(":pk", s("J#" + jobId), ":d", s("D#"), ":tenant", s(tenant)))
                .scanIndexForward(false)
                .limit(limit));
        List<WebhookDelivery> newestFirst = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            newestFirst.add(new WebhookDelivery(str(item, "event_id"), str(item, "type"), (int) num(item, "attempt"),
                    Instant.parse(str(item, "at")), item.containsKey("http_status") ? (int) num(item, "http_status") : null,
                    num(item, "latency_ms"), item.containsKey("error") ? str(item, "error") : null));
        }
        return newestFirst.reversed();
    }

    @Override
    public Optional<JobMetrics> metrics(String tenant, String jobId) {
        var item = db.getItem(b -> b.tableName(table).key(jobKey(tenant, jobId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> classes = new LinkedHashMap<>();
        for (String type : List.of("2xx", "3xx", "4xx", "5xx")) {
            classes.put(type, num(item, "http_" + type));
        }
        Map<String, Long> errors = new HashMap<>();
        item.getOrDefault("err", AttributeValue.fromM(Map.of())).m().forEach((code, count) -> errors.put(code, Long.parseLong(count.n())));
        Map<Integer, Long> latency = new HashMap<>();
        item.getOrDefault("lat", AttributeValue.fromM(Map.of())).m()
                .forEach((bucket, count) -> latency.put(Integer.parseInt(bucket.substring(1)), Long.parseLong(count.n())));
        return Optional.of(new JobMetrics(classes, errors, num(item, "bytes_fetched"), num(item, "attempts"),
                LatencyHistogram.of(latency), item.containsKey("fetch_ms_max") ? num(item, "fetch_ms_max") : null));
    }

    // ---- changing ------------------------------------------------------------------------------------

    @Override
    public boolean markPlanned(String tenant, String jobId, long urlsTotal, long urlsFiltered, int chunksTotal, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", s(now.toString()), ":total", n(urlsTotal),
                ":filtered", n(urlsFiltered), ":chunks", n(chunksTotal), ":done", s("done"), ":running", s("running"),
                ":pending", s("pending")));
        String counts = "started_at = :now, updated_at = :now, urls_total = :total, urls_filtered = :filtered, "
                + "chunks_total = :chunks, plan_state = :done, fetch_state = :running";
        Map<String, AttributeValue> queued = new HashMap<>(values);
        queued.put(":queued", s("queued"));
        queued.put(":spk", statusPartition(tenant, JobStatus.RUNNING));
        if (update(jobKey(tenant, jobId), "SET #status = :running, status_pk = :spk, " + counts,
                "#status = :queued AND plan_state = :pending", queued)) {
            return true;
        }
        Map<String, AttributeValue> cancelling = new HashMap<>(values);
        cancelling.put(":cancelling", s("cancelling"));
        return update(jobKey(tenant, jobId), "SET " + counts, "#status = :cancelling AND plan_state = :pending", cancelling);
    }

    @Override
    public boolean failPlanning(String tenant, String jobId, Failure failure, Instant now) {
        return update(jobKey(tenant, jobId),
                "SET #status = :failed, status_pk = :spk, completed_at = :now, updated_at = :now, plan_state = :failedPhase, "
                        + "fetch_state = :skipped, finalize_state = :skipped, failure_code = :code, failure_message = :message "
                        + "REMOVE active_pk, active_sk",
                "#status IN (:queued, :cancelling) AND plan_state = :pending",
                Map.of(":failed", s("failed"), ":spk", statusPartition(tenant, JobStatus.FAILED), ":now", s(now.toString()),
                        ":failedPhase", s("failed"), ":skipped", s("skipped"), ":code", s(failure.code()),
                        ":message", s(failure.message()), ":queued", s("queued"), ":cancelling", s("cancelling"),
                        ":pending", s("pending")));
    }

    @Override
    public ChunkCommit commitChunk(String tenant, String jobId, ChunkResult result, Instant now) {
        Map<String, AttributeValue> chunkItem = new HashMap<>(chunkKey(jobId, result.chunk(), result.start()));
        chunkItem.put("chunk", n(result.chunk()));
        chunkItem.put("start", n(result.start()));
        chunkItem.put("complete", AttributeValue.fromBool(result.complete()));
        chunkItem.put("rows", n(result.rows()));
        chunkItem.put("part_key", s(result.partKey()));
        chunkItem.put("ok", n(result.counters().ok()));
        chunkItem.put("errored", n(result.counters().errored()));
        chunkItem.put("skipped", n(result.counters().skipped()));
        chunkItem.put("committed_at", s(now.toString()));
        Put put = Put.builder().tableName(table).item(chunkItem).conditionExpression("attribute_not_exists(pk)").build();

        Counters counters = result.counters();
        ChunkStats stats = result.stats();
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        values.put(":ok", n(counters.ok()));
        values.put(":errored", n(counters.errored()));
        values.put(":skipped", n(counters.skipped()));
        values.put(":done", n(counters.done()));
        values.put(":one", n(result.complete() ? 1 : 0));
        values.put(":bytes", n(stats.bytesFetched()));
        values.put(":attempts", n(stats.attempts()));
        values.put(":now", s(now.toString()));
        StringBuilder add = new StringBuilder("ADD urls_ok :ok, urls_errored :errored, urls_skipped :skipped, "
                + "urls_done :done, chunks_done :one, bytes_fetched :bytes, attempts :attempts");
        stats.httpClasses().forEach((type, count) -> {
            add.append(", http_").append(type).append(" :h").append(type);
            values.put(":h" + type, n(count));
        });
        StringBuilder set = new StringBuilder(" SET updated_at = :now");
        if (!stats.errors().isEmpty() || !stats.latency().isEmpty()) {
            values.put(":zero", n(0));
        }
        int i = 0;
        for (Map.Entry<String, Long> error : stats.errors().entrySet()) {
            names.put("#e" + i, error.getKey());
            values.put(":e" + i, n(error.getValue()));
            set.append(", err.#e").append(i).append(" = if_not_exists(err.#e").append(i).append(", :zero) + :e").append(i);
            i++;
        }
        i = 0;
        for (Map.Entry<Integer, Long> bucket : stats.latency().entrySet()) {
            names.put("#l" + i, "b" + bucket.getKey());
            values.put(":l" + i, n(bucket.getValue()));
            set.append(", lat.#l").append(i).append(" = if_not_exists(lat.#l").append(i).append(", :zero) + :l").append(i);
            i++;
        }
        Update update = Update.builder().tableName(table).key(jobKey(tenant, jobId))
                .updateExpression(add + set.toString())
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(names.isEmpty() ? null : names)
                .expressionAttributeValues(values)
                .build();
        for (int attempt = 0; ; attempt++) {
            try {
                db.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(put).build(), TransactWriteItem.builder().update(update).build()));
                return ChunkCommit.COMMITTED;
            } catch (TransactionCanceledException e) {
                if (failedOn(e, 0)) {
                    return ChunkCommit.ALREADY_COMMITTED;
                }
                // Chunks of one job commit to one item at once: a conflict is retried, not failed.
                if (!conflicted(e) || attempt >= 8) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    @Override
    public void recordMaxFetchMs(String tenant, String jobId, long millis) {
        update(jobKey(tenant, jobId), "SET fetch_ms_max = :m", "(attribute_not_exists(fetch_ms_max) OR fetch_ms_max < :m)",
                Map.of(":m", n(millis)));
    }

    @Override
    public void sampleProgress(String tenant, String jobId, Instant now, long minAgeSeconds) {
        Map<String, AttributeValue> values = Map.of(":now", s(now.toString()),
                ":cutoff", s(now.minusSeconds(minAgeSeconds).toString()));
        if (!update(jobKey(tenant, jobId),
                "SET rate_prev_at = rate_at, rate_prev_done = rate_done, rate_at = :now, rate_done = urls_done",
                "attribute_exists(rate_at) AND rate_at < :cutoff", values)) {
            update(jobKey(tenant, jobId), "SET rate_at = :now, rate_done = urls_done", "attribute_not_exists(rate_at)",
                    Map.of(":now", s(now.toString())));
        }
    }

    @Override
    public boolean claimFinalize(String tenant, String jobId, Instant now) {
        return update(jobKey(tenant, jobId),
                "SET fetch_state = :done, finalize_state = :running, updated_at = :now",
                "#status IN (:running, :cancelling) AND chunks_done = chunks_total AND finalize_state = :pending",
                Map.of(":done", s("done"), ":running", s("running"), ":cancelling", s("cancelling"),
                        ":pending", s("pending"), ":now", s(now.toString())));
    }

    @Override
    public void releaseFinalize(String tenant, String jobId) {
        update(jobKey(tenant, jobId), "SET fetch_state = :running, finalize_state = :pending",
                "finalize_state = :running", Map.of(":running", s("running"), ":pending", s("pending")));
    }

    @Override
    public boolean cancel(String tenant, String jobId, Instant now) {
        return update(jobKey(tenant, jobId),
                "SET #status = :cancelling, status_pk = :spk, stop_reason = if_not_exists(stop_reason, :cancelled), "
                        + "updated_at = :now",
                "#status IN (:queued, :running)",
                Map.of(":cancelling", s("cancelling"), ":spk", statusPartition(tenant, JobStatus.CANCELLING),
                        ":cancelled", s(StopReason.CANCELLED.wire()), ":now", s(now.toString()),
                        ":queued", s("queued"), ":running", s("running")));
    }

    @Override
    public boolean expire(String tenant, String jobId, Instant now) {
        return update(jobKey(tenant, jobId),
                "SET #status = :cancelling, status_pk = :spk, stop_reason = :lifetime, updated_at = :now",
                "#status IN (:queued, :running)",
                Map.of(":cancelling", s("cancelling"), ":spk", statusPartition(tenant, JobStatus.CANCELLING),
                        ":lifetime", s(StopReason.LIFETIME_EXCEEDED.wire()), ":now", s(now.toString()),
                        ":queued", s("queued"), ":running", s("running")));
    }

    @Override
    public boolean stopForErrors(String tenant, String jobId, long allowedErrors, Instant now) {
        return update(jobKey(tenant, jobId), "SET stop_reason = :reason, updated_at = :now",
                "urls_errored > :allowed AND attribute_not_exists(stop_reason) AND #status IN (:running, :cancelling)",
                Map.of(":reason", s(StopReason.MAX_ERRORS_EXCEEDED.wire()), ":now", s(now.toString()),
                        ":allowed", n(allowedErrors), ":running", s("running"), ":cancelling", s("cancelling")));
    }

    @Override
    public boolean finish(String tenant, String jobId, JobStatus expected, JobStatus terminal, Failure failure,
                          List<ResultPart> parts, Instant now) {
        List<Map<String, Object>> partList = new ArrayList<>();
        for (ResultPart part : parts) {
            partList.add(Map.of("key", part.key(), "url", part.url(), "url_expires_at", part.urlExpiresAt().toString(),
                    "bytes", part.bytes(), "rows", part.rows(), "sha256", part.sha256()));
        }
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":terminal", s(terminal.wire()),
                ":spk", statusPartition(tenant, terminal), ":now", s(now.toString()), ":done", s("done"),
                ":parts", s(Json.write(partList)), ":expected", s(expected.wire())));
        String failureSet = "";
        if (failure != null) {
            failureSet = ", failure_code = :fcode, failure_message = :fmessage";
            values.put(":fcode", s(failure.code()));
            values.put(":fmessage", s(failure.message()));
        }
        return update(jobKey(tenant, jobId),
                "SET #status = :terminal, status_pk = :spk, completed_at = :now, updated_at = :now, fetch_state = :done, "
                        + "finalize_state = :done, result_parts = :parts" + failureSet + " REMOVE active_pk, active_sk",
                "#status = :expected", values);
    }

    @Override
    public Purge purge(String tenant, String jobId) {
        try {
            db.deleteItem(b -> b.tableName(table).key(jobKey(tenant, jobId))
                    .conditionExpression("attribute_exists(pk) AND #status IN (:completed, :failed, :cancelled)")
                    .expressionAttributeNames(STATUS_NAME)
                    .expressionAttributeValues(Map.of(":completed", s("completed"), ":failed", s("failed"),
                            ":cancelled", s("cancelled"))));
        } catch (ConditionalCheckFailedException e) {
            return find(tenant, jobId).isPresent() ? Purge.ACTIVE : Purge.ABSENT;
        }
        List<WriteRequest> deletes = new ArrayList<>();
        // a page at a time until none is left: redeliveries have no limit
        for (List<WebhookDelivery> page = latest(tenant, jobId, 1_000); !page.isEmpty();
             page = latest(tenant, jobId, 1_000)) {
            for (WebhookDelivery delivery : page) {
                deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(deliveryKey(jobId, delivery))).build());
                if (deletes.size() == 25) {
                    writeAll(deletes);
                    deletes.clear();
                }
            }
            if (!deletes.isEmpty()) {
                writeAll(deletes);
                deletes.clear();
            }
        }
        for (ChunkResult chunk : committedChunks(jobId)) {
            deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(chunkKey(jobId, chunk.chunk(), chunk.start()))).build());
            if (deletes.size() == 25) {
                writeAll(deletes);
                deletes.clear();
            }
        }
        if (!deletes.isEmpty()) {
            writeAll(deletes);
        }
        return Purge.REMOVED;
    }

    private void writeAll(List<WriteRequest> requests) {
        Map<String, List<WriteRequest>> pending = Map.of(table, List.copyOf(requests));
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(Math.min(1_000, 50L << attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while deleting chunk commits", e);
                }
            }
            Map<String, List<WriteRequest>> batch = pending;
            pending = db.batchWriteItem(b -> b.requestItems(batch)).unprocessedItems();
        }
    }

    private boolean update(Map<String, AttributeValue> key, String update, String condition, Map<String, AttributeValue> values) {
        Map<String, String> names = update.contains("#status") || condition.contains("#status") ? STATUS_NAME : null;
        try {
            db.updateItem(b -> b.tableName(table).key(key).updateExpression(update)
                    .conditionExpression("attribute_exists(pk) AND " + condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    // ---- mapping -------------------------------------------------------------------------------------

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
                new JobInput(str(item, "input_type"), str(item, "input_key"),
                        item.containsKey("input_format") ? InputFormat.fromWire(str(item, "input_format")) : null,
                        str(item, "upload_id"), str(item, "input_bucket"), str(item, "input_role_arn")),
                Json.read(str(item, "settings"), JobSettings.class),
                str(item, "retry_of"),
                PhaseState.fromWire(str(item, "plan_state")),
                item.containsKey("chunks_total") ? (int) num(item, "chunks_total") : null,
                PhaseState.fromWire(str(item, "fetch_state")),
                (int) num(item, "chunks_done"),
                PhaseState.fromWire(str(item, "finalize_state")),
                StopReason.fromWire(str(item, "stop_reason")),
                item.containsKey("failure_code") ? new Failure(str(item, "failure_code"), str(item, "failure_message")) : null,
                item.containsKey("result_parts") ? parts(str(item, "result_parts")) : null,
                item.containsKey("rate_at") ? new Job.RateSample(instant(item, "rate_prev_at"), num(item, "rate_prev_done"),
                        instant(item, "rate_at"), num(item, "rate_done")) : null);
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
        AttributeValue complete = item.get("complete");
        return new ChunkResult((int) num(item, "chunk"), item.containsKey("start") ? (int) num(item, "start") : 0,
                num(item, "rows"), str(item, "part_key"),
                new Counters(num(item, "ok"), num(item, "errored"), num(item, "skipped")), ChunkStats.NONE,
                complete == null || complete.bool());
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
