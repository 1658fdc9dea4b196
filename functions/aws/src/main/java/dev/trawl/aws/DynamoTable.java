package dev.trawl.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadStatus;
import dev.trawl.core.util.Hashing;
import dev.trawl.core.util.Json;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one table that every store adapter shares: its key layout, its items, and the mechanics of writing them. The
 * stored format is spelled here only, so that the adapters cannot drift apart on it and a deployed table keeps
 * working when they change.
 * <ul>
 *   <li>a job at {@code pk = T#tenant, sk = J#jobId}; ids sort by time, so a reverse Query lists newest first;</li>
 *   <li>index {@value #BY_STATUS}: {@code status_pk = T#tenant#S#status, status_sk = jobId}, for status filters;</li>
 *   <li>index {@value #BY_DEADLINE}: {@code active_pk = A#shard, active_sk = deadline#jobId}, only while the job
 *       is live, for the reaper;</li>
 *   <li>the job's own partition {@code pk = J#jobId}: its chunk commits at {@code sk = C#0000000}, its webhook
 *       attempts at {@code sk = D#millis#attempt}; everything there goes with the job;</li>
 *   <li>idempotency keys at {@code pk = I#tenant#sha256(key), sk = I}, expiring through {@code expires_at};</li>
 *   <li>uploads at {@code pk = TU#tenant, sk = U#uploadId}, apart from the tenant's jobs so that job lists never
 *       meet them;</li>
 *   <li>API-key hashes at {@code pk = K#sha256, sk = K}; the key itself is never stored;</li>
 *   <li>a tenant's settings at {@code pk = TN#tenant, sk = SETTINGS}, and its usage (live jobs, the concurrency they
 *       hold) at {@code pk = TN#tenant, sk = USAGE}, counted with each job ({@code usage_concurrency} on the job's
 *       item while it counts);</li>
 *   <li>a tenant's request bucket at {@code pk = RL#tenant, sk = RL}: one item per tenant, no item shared by two.</li>
 *   <li>the reaper's place in each of its sweeps at {@code pk = R#sweeps, sk = pass}, attribute {@code sweep_cursor}.</li>
 * </ul>
 * No call Scans.
 */
public final class DynamoTable {
    public static final String BY_STATUS = "by_status";
    public static final String BY_DEADLINE = "by_deadline";
    static final int DEADLINE_SHARDS = 8;
    private static final String TENANT = "T#";
    private static final String JOB = "J#";
    private static final String CHUNK = "C#";
    private static final String DELIVERY = "D#";
    private static final List<String> JOB_COUNTERS = List.of("urls_done", "urls_ok", "urls_errored", "urls_skipped",
            "urls_filtered", "chunks_done", "bytes_fetched", "attempts");
    private static final List<String> HTTP_CLASSES = List.of("2xx", "3xx", "4xx", "5xx");
    private static final String HTTP = "http_";
    private static final String LATENCY_BUCKET = "b";
    private static final Map<String, String> STATUS_NAME = Map.of("#status", "status");

    private final DynamoDbClient db;
    private final String name;

    public DynamoTable(DynamoDbClient db, String name) {
        this.db = db;
        this.name = name;
    }

    String name() {
        return name;
    }

    static Map<String, AttributeValue> jobKey(String tenant, String jobId) {
        return key(tenantJobs(tenant), s(JOB + jobId));
    }

    private static AttributeValue tenantJobs(String tenant) {
        return s(TENANT + tenant);
    }

    static AttributeValue statusPartition(String tenant, JobStatus status) {
        return s(TENANT + tenant + "#S#" + status.wire());
    }

    /** Where a list of a tenant's jobs reads: a partition of the table or of an index, sorted by job id. */
    record JobRange(String index, String partitionAttribute, AttributeValue partition, String sortAttribute,
                    String sortPrefix) {
        AttributeValue sortKey(String jobId) {
            return s(sortPrefix + jobId);
        }

        String jobId(Map<String, AttributeValue> key) {
            return key.get(sortAttribute).s().substring(sortPrefix.length());
        }
    }

    static JobRange allJobs(String tenant) {
        return new JobRange(null, "pk", tenantJobs(tenant), "sk", JOB);
    }

    static JobRange jobsIn(String tenant, JobStatus status) {
        return new JobRange(BY_STATUS, "status_pk", statusPartition(tenant, status), "status_sk", "");
    }

    static AttributeValue deadlineShard(int shard) {
        return s("A#" + shard);
    }

    private static String deadlineSortKey(Instant deadline, String jobId) {
        return String.format("%013d#%s", deadline.toEpochMilli(), jobId);
    }

    /** Sorts after the deadline keys of every job due before {@code now}, and before the others. */
    static AttributeValue deadlinesBefore(Instant now) {
        return s(String.format("%013d#", now.toEpochMilli()));
    }

    /** The partition of what is kept beside a job: its chunk commits and webhook attempts. */
    static AttributeValue jobPartition(String jobId) {
        return s(JOB + jobId);
    }

    static AttributeValue chunkPrefix() {
        return s(CHUNK);
    }

    static AttributeValue deliveryPrefix() {
        return s(DELIVERY);
    }

    /** A continuation's key sorts right after the segment before it: "C#0000042" < "C#0000042+0000037" < "C#0000043". */
    static Map<String, AttributeValue> chunkKey(String jobId, int chunk, int start) {
        String sk = start == 0 ? String.format(CHUNK + "%07d", chunk) : String.format(CHUNK + "%07d+%07d", chunk, start);
        return key(jobPartition(jobId), s(sk));
    }

    /** Keyed by time and attempt, so that a page in key order is a page in time order. */
    static Map<String, AttributeValue> deliveryKey(String jobId, WebhookDelivery delivery) {
        return key(jobPartition(jobId),
                s(String.format(DELIVERY + "%013d#%05d", delivery.at().toEpochMilli(), delivery.attempt())));
    }

    static Map<String, AttributeValue> idempotencyKey(String tenant, String key) {
        return key(s("I#" + tenant + "#" + Hashing.sha256Hex(key)), s("I"));
    }

    static Map<String, AttributeValue> uploadKey(String tenant, String uploadId) {
        return key(s("TU#" + tenant), s("U#" + uploadId));
    }

    /** Where the reaper keeps its place in the sweep named {@code pass}. */
    static Map<String, AttributeValue> sweepCursorKey(String pass) {
        return key(s("R#sweeps"), s(pass));
    }

    static Map<String, AttributeValue> apiKey(String keyHash) {
        return key(s("K#" + keyHash), s("K"));
    }

    static Map<String, AttributeValue> tenantSettingsKey(String tenant) {
        return key(s("TN#" + tenant), s("SETTINGS"));
    }

    static Map<String, AttributeValue> tenantUsageKey(String tenant) {
        return key(s("TN#" + tenant), s("USAGE"));
    }

    static Map<String, AttributeValue> requestBucketKey(String tenant) {
        return key(s("RL#" + tenant), s("RL"));
    }

    private static Map<String, AttributeValue> key(AttributeValue pk, AttributeValue sk) {
        return Map.of("pk", pk, "sk", sk);
    }

    /** A new job's item: counters at zero, and in the deadline index while it is live. */
    static Map<String, AttributeValue> newJobItem(Job job) {
        Map<String, AttributeValue> item = new HashMap<>(jobKey(job.tenant(), job.id()));
        item.put("id", s(job.id()));
        item.put("tenant", s(job.tenant()));
        putIfPresent(item, "name", job.name());
        item.put("status", s(job.status().wire()));
        item.put("created_at", s(job.createdAt().toString()));
        item.put("updated_at", s(job.updatedAt().toString()));
        JOB_COUNTERS.forEach(counter -> item.put(counter, n(0)));
        item.put("lat", AttributeValue.fromM(Map.of()));
        item.put("err", AttributeValue.fromM(Map.of()));
        item.put("input_type", s(job.input().type()));
        item.put("input_key", s(job.input().key()));
        putIfPresent(item, "input_format", job.input().format() == null ? null : job.input().format().wire());
        putIfPresent(item, "upload_id", job.input().uploadId());
        putIfPresent(item, "input_bucket", job.input().bucket());
        putIfPresent(item, "input_role_arn", job.input().roleArn());
        putIfPresent(item, "input_etag", job.input().etag());
        if (job.urlsTotal() != null) {
            item.put("urls_total", n(job.urlsTotal()));
        }
        item.put("settings", s(Json.write(job.settings())));
        putIfPresent(item, "retry_of", job.retryOf());
        // a job may be stored terminal at once (an inbox drop beyond its tenant's ceilings)
        putIfPresent(item, "completed_at", job.completedAt() == null ? null : job.completedAt().toString());
        if (job.failure() != null) {
            item.put("failure_code", s(job.failure().code()));
            item.put("failure_message", s(job.failure().message()));
        }
        item.put("plan_state", s(job.planState().wire()));
        item.put("fetch_state", s(job.fetchState().wire()));
        item.put("finalize_state", s(job.finalizeState().wire()));
        item.put("status_pk", statusPartition(job.tenant(), job.status()));
        item.put("status_sk", s(job.id()));
        if (!job.status().terminal()) {
            item.put("active_pk", deadlineShard(Math.floorMod(job.id().hashCode(), DEADLINE_SHARDS)));
            item.put("active_sk", s(deadlineSortKey(job.deadline(), job.id())));
        }
        return item;
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
                new JobInput(str(item, "input_type"), str(item, "input_key"),
                        item.containsKey("input_format") ? InputFormat.fromWire(str(item, "input_format")) : null,
                        str(item, "upload_id"), str(item, "input_bucket"), str(item, "input_role_arn"),
                        str(item, "input_etag")),
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

    static JobRef toJobRef(Map<String, AttributeValue> item) {
        return new JobRef(str(item, "tenant"), str(item, "id"));
    }

    /**
     * Result parts as one JSON string: a job has few, and they are only ever read whole. Items written before links
     * were made on reading also hold a signed {@code url} and its {@code url_expires_at}; they are read past.
     */
    static AttributeValue partsValue(List<ResultPart> parts) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ResultPart part : parts) {
            list.add(Map.of("key", part.key(), "bytes", part.bytes(), "rows", part.rows(), "sha256", part.sha256()));
        }
        return s(Json.write(list));
    }

    private static List<ResultPart> parts(String json) {
        List<Map<String, Object>> raw;
        try {
            raw = Json.MAPPER.readValue(json, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable result_parts", e);
        }
        return raw.stream().map(p -> new ResultPart((String) p.get("key"), ((Number) p.get("bytes")).longValue(),
                ((Number) p.get("rows")).longValue(), (String) p.get("sha256"))).toList();
    }

    /** An update expression with its names and values. */
    record Expression(String update, Map<String, String> names, Map<String, AttributeValue> values) {
    }

    /**
     * What a chunk commit adds to its job's item: counters, {@code chunks_done} when the segment completes its chunk,
     * and the metric sums ({@code http_2xx}…, {@code err.code}, {@code lat.bN}), each entry made on first use.
     */
    static Expression chunkSums(ChunkResult result, Instant now) {
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
            add.append(", ").append(HTTP).append(type).append(" :h").append(type);
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
            names.put("#l" + i, LATENCY_BUCKET + bucket.getKey());
            values.put(":l" + i, n(bucket.getValue()));
            set.append(", lat.#l").append(i).append(" = if_not_exists(lat.#l").append(i).append(", :zero) + :l").append(i);
            i++;
        }
        return new Expression(add.toString() + set, names.isEmpty() ? null : names, values);
    }

    /** The job's metric sums, as {@link #chunkSums} adds them up. */
    static JobMetrics toMetrics(Map<String, AttributeValue> item) {
        Map<String, Long> classes = new LinkedHashMap<>();
        HTTP_CLASSES.forEach(type -> classes.put(type, num(item, HTTP + type)));
        Map<String, Long> errors = new HashMap<>();
        item.getOrDefault("err", AttributeValue.fromM(Map.of())).m()
                .forEach((code, count) -> errors.put(code, Long.parseLong(count.n())));
        Map<Integer, Long> latency = new HashMap<>();
        item.getOrDefault("lat", AttributeValue.fromM(Map.of())).m().forEach((bucket, count) ->
                latency.put(Integer.parseInt(bucket.substring(LATENCY_BUCKET.length())), Long.parseLong(count.n())));
        return new JobMetrics(classes, errors, num(item, "bytes_fetched"), num(item, "attempts"),
                LatencyHistogram.of(latency), item.containsKey("fetch_ms_max") ? num(item, "fetch_ms_max") : null);
    }

    /** A chunk commit keeps counts and the part, not the stats: those are added to the job's sums. */
    static Map<String, AttributeValue> chunkItem(String jobId, ChunkResult result, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(chunkKey(jobId, result.chunk(), result.start()));
        item.put("chunk", n(result.chunk()));
        item.put("start", n(result.start()));
        item.put("complete", AttributeValue.fromBool(result.complete()));
        item.put("rows", n(result.rows()));
        item.put("part_key", s(result.partKey()));
        item.put("ok", n(result.counters().ok()));
        item.put("errored", n(result.counters().errored()));
        item.put("skipped", n(result.counters().skipped()));
        item.put("committed_at", s(now.toString()));
        return item;
    }

    static ChunkResult toChunk(Map<String, AttributeValue> item) {
        AttributeValue complete = item.get("complete");
        // Commits from before segments have neither start nor complete: they were whole chunks.
        return new ChunkResult((int) num(item, "chunk"), item.containsKey("start") ? (int) num(item, "start") : 0,
                num(item, "rows"), str(item, "part_key"),
                new Counters(num(item, "ok"), num(item, "errored"), num(item, "skipped")), ChunkStats.NONE,
                complete == null || complete.bool());
    }

    static Map<String, AttributeValue> deliveryItem(String tenant, String jobId, WebhookDelivery delivery) {
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
        putIfPresent(item, "error", delivery.error());
        return item;
    }

    static WebhookDelivery toDelivery(Map<String, AttributeValue> item) {
        return new WebhookDelivery(str(item, "event_id"), str(item, "type"), (int) num(item, "attempt"),
                Instant.parse(str(item, "at")), item.containsKey("http_status") ? (int) num(item, "http_status") : null,
                num(item, "latency_ms"), str(item, "error"));
    }

    static Map<String, AttributeValue> idempotencyItem(String tenant, String key, String jobId, String fingerprint,
                                                       Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(idempotencyKey(tenant, key));
        item.put("job_id", s(jobId));
        item.put("fingerprint", s(fingerprint));
        // epoch seconds: the table's TTL attribute
        item.put("expires_at", n(expiresAt.getEpochSecond()));
        return item;
    }

    static Map<String, AttributeValue> newUploadItem(Upload upload) {
        Map<String, AttributeValue> item = new HashMap<>(uploadKey(upload.tenant(), upload.id()));
        item.put("id", s(upload.id()));
        item.put("tenant", s(upload.tenant()));
        putIfPresent(item, "filename", upload.filename());
        item.put("status", s(upload.status().wire()));
        item.put("created_at", s(upload.createdAt().toString()));
        if (upload.declaredBytes() != null) {
            item.put("declared_bytes", n(upload.declaredBytes()));
        }
        return item;
    }

    static Upload toUpload(Map<String, AttributeValue> item) {
        return new Upload(str(item, "id"), str(item, "tenant"), str(item, "filename"),
                UploadStatus.fromWire(str(item, "status")), Instant.parse(str(item, "created_at")),
                item.containsKey("declared_bytes") ? num(item, "declared_bytes") : null,
                item.containsKey("input_format") ? InputFormat.fromWire(str(item, "input_format")) : null,
                item.containsKey("size_bytes") ? num(item, "size_bytes") : null,
                item.containsKey("url_count") ? num(item, "url_count") : null,
                item.containsKey("invalid_lines") ? num(item, "invalid_lines") : null,
                item.containsKey("error_code") ? new Failure(str(item, "error_code"), str(item, "error_message")) : null,
                str(item, "object_etag"));
    }

    Optional<Map<String, AttributeValue>> read(Map<String, AttributeValue> key) {
        var item = db.getItem(b -> b.tableName(name).key(key).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** An eventually consistent read: half the cost, for what rarely changes. */
    Optional<Map<String, AttributeValue>> readEventually(Map<String, AttributeValue> key) {
        var item = db.getItem(b -> b.tableName(name).key(key)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    void put(Map<String, AttributeValue> item) {
        db.putItem(b -> b.tableName(name).item(item));
    }

    /** Puts an item whose key must be new; throws {@link ConditionalCheckFailedException} when it is not. */
    void putNew(Map<String, AttributeValue> item) {
        db.putItem(b -> b.tableName(name).item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    /** Updates an existing item when {@code condition} holds; false when the item is absent or the condition fails. */
    boolean update(Map<String, AttributeValue> key, String update, String condition, Map<String, AttributeValue> values) {
        return updateIf(key, update, "attribute_exists(pk) AND " + condition, values);
    }

    /** Updates the item when {@code condition} holds; false when it does not. */
    boolean updateIf(Map<String, AttributeValue> key, String update, String condition, Map<String, AttributeValue> values) {
        try {
            updateOrThrow(key, update, condition, values);
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Updates the item, throwing {@link ConditionalCheckFailedException} when {@code condition} fails. */
    void updateOrThrow(Map<String, AttributeValue> key, String update, String condition, Map<String, AttributeValue> values) {
        db.updateItem(b -> b.tableName(name).key(key).updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(statusName(update, condition)).expressionAttributeValues(values));
    }

    /** Deletes the item when {@code condition} holds; false when it does not. */
    boolean deleteIf(Map<String, AttributeValue> key, String condition, Map<String, AttributeValue> values) {
        try {
            db.deleteItem(b -> b.tableName(name).key(key).conditionExpression(condition)
                    .expressionAttributeNames(statusName(condition)).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** {@code status} is a reserved word in expressions: it is written {@code #status}. */
    static Map<String, String> statusName(String... expressions) {
        for (String expression : expressions) {
            if (expression.contains("#status")) {
                return STATUS_NAME;
            }
        }
        return null;
    }

    /** Every item a query matches, read a page at a time as the caller iterates. */
    SdkIterable<Map<String, AttributeValue>> query(QueryRequest.Builder request) {
        return db.queryPaginator(request.tableName(name).build()).items();
    }

    /** The keys of everything kept in a job's own partition, read as the caller goes: they go with the job. */
    Iterable<Map<String, AttributeValue>> keptBeside(String jobId) {
        return () -> query(QueryRequest.builder().consistentRead(true).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", jobPartition(jobId))).projectionExpression("pk, sk"))
                .stream().map(item -> key(item.get("pk"), item.get("sk"))).iterator();
    }

    /** One page of a query: at most its limit, and the key to go on from, or none. */
    Page queryPage(QueryRequest.Builder request) {
        var response = db.query(request.tableName(name).build());
        var last = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey() : null;
        return new Page(response.items(), last, response.scannedCount());
    }

    record Page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> next, int scanned) {
    }

    /** How a transaction ended. */
    sealed interface Transacted {
        record Written() implements Transacted {
        }

        /** Cancelled by failed conditions: {@link #by} tells which items' conditions failed. */
        record Refused(TransactionCanceledException cause) implements Transacted {
            boolean by(int item) {
                var reasons = cause.cancellationReasons();
                return reasons.size() > item && "ConditionalCheckFailed".equals(reasons.get(item).code());
            }
        }
    }

    /**
     * Writes the items in one transaction. Another transaction in flight on one of the items cancels this one with
     * a conflict: that is tried again after a backoff, {@code attempts} times in all. A failed condition is answered,
     * not retried.
     */
    Transacted transact(int attempts, TransactWriteItem... items) {
        for (int attempt = 1; ; attempt++) {
            try {
                db.transactWriteItems(b -> b.transactItems(items));
                return new Transacted.Written();
            } catch (TransactionCanceledException e) {
                boolean conflicted = e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflicted) {
                    return new Transacted.Refused(e);
                }
                if (attempt >= attempts) {
                    throw e;
                }
                pause(Math.min(1_000, 20L << (attempt - 1)) + ThreadLocalRandom.current().nextLong(20));
            }
        }
    }

    /** Deletes the items with these keys, 25 (a batch) at a time. */
    void deleteAll(Iterable<Map<String, AttributeValue>> keys) {
        List<WriteRequest> batch = new ArrayList<>();
        for (Map<String, AttributeValue> key : keys) {
            batch.add(WriteRequest.builder().deleteRequest(d -> d.key(key)).build());
            if (batch.size() == 25) {
                writeBatch(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            writeBatch(batch);
        }
    }

    /** A batch may come back partly unprocessed when the table is busy: the rest is sent again, later each time. */
    private void writeBatch(List<WriteRequest> requests) {
        Map<String, List<WriteRequest>> pending = Map.of(name, List.copyOf(requests));
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                pause(Math.min(1_000, 50L << attempt));
            }
            Map<String, List<WriteRequest>> batch = pending;
            pending = db.batchWriteItem(b -> b.requestItems(batch)).unprocessedItems();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a write", e);
        }
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String attribute, String value) {
        if (value != null) {
            item.put(attribute, s(value));
        }
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
