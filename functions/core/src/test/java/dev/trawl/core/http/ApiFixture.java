package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.input.InputEntry;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.manage.PurgeJobFiles;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.output.DownloadLinks;
import dev.trawl.core.output.ResultWriter;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.row.FetchOutcome;
import dev.trawl.core.row.ResultRow;
import dev.trawl.core.row.RowStatus;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.InMemorySecrets;
import dev.trawl.core.testing.InMemoryUploadStore;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP API over in-memory ports, and what the route tests share: the fakes and the clock, requests to each route,
 * the contract's error form, and jobs put in the store in any state (planned into chunks, finished with errors).
 * A test class holds one per test as {@code @RegisterExtension final ApiFixture api = new ApiFixture();}, so that the
 * service's log goes to {@link #logs()} for that test; {@link FuzzWorld} builds one per trial on the same wiring.
 */
final class ApiFixture implements BeforeEachCallback, AfterEachCallback {
    static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    static final String TENANT_A = "tenant-a";
    static final String TENANT_B = "tenant-b";
    /** A valid create body, an entry of each kind: a URL, an object with meta and an override, a string not a URL. */
    static final String BODY = """
            {"name": "nightly", "input": {"urls": ["https://example.com/a",
              {"url": "https://example.com/b", "meta": {"sku": "B-1"}, "retries": 0}, "not a url"]},
             "concurrency": 8}
            """;
    /** The entries of the jobs {@link #planned} makes: both forms, with overrides and meta, one of them no URL. */
    static final List<String> RETRY_ENTRIES = List.of(
            "\"https://example.com/1\"",
            "{\"url\": \"https://example.com/2\", \"meta\": {\"sku\": \"B-2\"}, \"retries\": 0, \"headers\": {\"X-A\": \"1\"}}",
            "\"not a url\"",
            "{\"url\": \"https://example.com/4\", \"meta\": {\"n\": 4}}",
            "\"https://example.com/5\"",
            "{\"url\": \"https://example.com/6\", \"timeout_ms\": 5000}",
            "\"https://example.com/7\"");
    private static final byte[] CURSOR_KEY = "jobs-api-test-cursor-key-32bytes".getBytes(StandardCharsets.UTF_8);

    final InMemoryJobStore jobs = new InMemoryJobStore();
    final InMemoryBlobStore blobs = new InMemoryBlobStore();
    final InMemoryUploadStore uploads = new InMemoryUploadStore();
    final RecordingWorkQueue queue = new RecordingWorkQueue();
    final InMemorySecrets secrets = new InMemorySecrets();
    final MutableClock clock = new MutableClock(NOW);
    final Cursors cursors = new Cursors(CURSOR_KEY);
    /** The host the fixture's requests come to: download links point back at it. */
    static final String HOST = "api.test";
    final DownloadLinks links = new DownloadLinks("api-fixture-download-link-key-32b".getBytes(StandardCharsets.UTF_8));
    private final Ids ids = new Ids(clock);
    private final HttpApi http = over(jobs);
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @Override
    public void beforeEach(ExtensionContext context) {
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Log.redirect(System.out);
    }

    /** What the service logged during this test. */
    String logs() {
        return logs.toString(StandardCharsets.UTF_8);
    }

    ApiResponse handle(ApiRequest request) {
        return http.handle(request);
    }

    /** The API over these fakes but {@code jobStore} as the job store: one that fails, or must not be reached. */
    HttpApi withJobStore(JobStore jobStore) {
        return over(jobStore);
    }

    private HttpApi over(JobStore jobStore) {
        return HttpApi.over(jobStore, jobs, jobs, jobs, uploads, blobs, queue, null, secrets,
                new HttpApi.Settings(null, null, cursors, links, clock), null, new HttpApi.Purging(jobs, queue));
    }

    /** Runs the purge queue's messages, as the purger does, and empties it. */
    void runPurges() {
        PurgeJobFiles purger = new PurgeJobFiles(jobs, blobs);
        while (!queue.purgeRequests.isEmpty()) {
            purger.purge(queue.purgeRequests.removeFirst());
        }
    }

    /** An id with this prefix that sorts by creation together with the service's own. */
    String newId(String prefix) {
        return ids.next(prefix);
    }

    // ---- requests --------------------------------------------------------------------------------------

    static ApiRequest request(String routeKey, Map<String, String> path, Map<String, List<String>> query,
                              String body, String tenant) {
        return new ApiRequest(routeKey, path, query, Map.of("content-type", "application/json", "host", HOST), body, tenant);
    }

    /** A query of name, value pairs; a name given twice has both values. */
    static Map<String, List<String>> q(String... nameValuePairs) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            query.computeIfAbsent(nameValuePairs[i], k -> new ArrayList<>()).add(nameValuePairs[i + 1]);
        }
        return query;
    }

    /** {@code routeKey} without a body, {@code id} (when not null) as the path's id. */
    ApiResponse call(String routeKey, String id, Map<String, List<String>> query, String tenant) {
        return handle(request(routeKey, id == null ? Map.of() : Map.of("id", id), query, null, tenant));
    }

    /** {@code POST /v1/jobs} */
    ApiResponse post(String body, String tenant) {
        return handle(request("POST /v1/jobs", Map.of(), Map.of(), body, tenant));
    }

    /** {@code GET /v1/jobs/{id}}; a null id leaves the path without one. */
    ApiResponse get(String id, String tenant) {
        return handle(request("GET /v1/jobs/{id}", id == null ? Map.of() : Map.of("id", id), Map.of(), null, tenant));
    }

    /** {@code GET /v1/jobs} */
    ApiResponse list(Map<String, List<String>> query, String tenant) {
        return handle(request("GET /v1/jobs", Map.of(), query, null, tenant));
    }

    /** {@code routeKey} with an Idempotency-Key header, unless {@code key} is null. */
    ApiResponse withKey(String routeKey, Map<String, String> path, String body, String key, String tenant) {
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json", "host", HOST));
        if (key != null) {
            headers.put("idempotency-key", key);
        }
        return handle(new ApiRequest(routeKey, path, Map.of(), headers, body, tenant));
    }

    /** {@code POST /v1/jobs} with an Idempotency-Key. */
    ApiResponse postWithKey(String body, String key, String tenant) {
        return withKey("POST /v1/jobs", Map.of(), body, key, tenant);
    }

    /** {@code POST /v1/jobs/{id}/retry}, with an Idempotency-Key unless {@code key} is null. */
    ApiResponse retry(String id, String key, String tenant) {
        return withKey("POST /v1/jobs/{id}/retry", Map.of("id", id), null, key, tenant);
    }

    // ---- answers ---------------------------------------------------------------------------------------

    static JsonNode json(ApiResponse response) throws Exception {
        assertEquals("application/json", response.headers().get("content-type"));
        return Json.parse(response.body());
    }

    /** Asserts the contract's error form and returns the error object. */
    static JsonNode assertError(ApiResponse response, int status, String code) throws Exception {
        assertEquals(status, response.status(), response.body());
        JsonNode body = json(response);
        assertEquals(List.of("error"), List.copyOf(iterable(body.fieldNames())));
        JsonNode error = body.get("error");
        assertEquals(code, error.get("code").textValue());
        assertTrue(error.get("message").isTextual() && !error.get("message").textValue().isBlank());
        return error;
    }

    /** A 400 {@code invalid_request} naming {@code field}. */
    static void assertInvalid(ApiResponse response, String field) throws Exception {
        JsonNode error = assertError(response, 400, "invalid_request");
        assertEquals(field, error.path("field").textValue(), response.body());
    }

    static <T> List<T> iterable(Iterator<T> it) {
        List<T> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    /** The ids of a page of {@code GET /v1/jobs}, in its order. */
    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("jobs").forEach(job -> ids.add(job.get("id").textValue()));
        return ids;
    }

    /** The ids of a page of {@code GET /v1/jobs}, which must have answered 200. */
    static List<String> ids(ApiResponse response) throws Exception {
        assertEquals(200, response.status(), response.body());
        return ids(json(response));
    }

    static String statusOf(ApiResponse response) throws Exception {
        return json(response).get("status").textValue();
    }

    /** No job, no file and no plan request: what a refused request leaves. */
    void assertNothingCreated() {
        assertEquals(0, jobs.size());
        assertTrue(blobs.all().isEmpty());
        assertTrue(queue.planRequests.isEmpty());
    }

    // ---- jobs ------------------------------------------------------------------------------------------

    /** The id of a job {@link #BODY} created through the API. */
    String createdId(String tenant) throws Exception {
        ApiResponse response = post(BODY, tenant);
        assertEquals(202, response.status(), response.body());
        clock.advance(Duration.ofMillis(1)); // ids of the service and of the tests sort by creation together
        return json(response).get("id").textValue();
    }

    /**
     * The {@code accepted} job moved to {@code status} with the fields that state implies: once started, planned into
     * {@code urls} chunks of one URL each; once cancelling, stopped by a cancel; once terminal, ended when accepted.
     */
    static JobBuilder inState(Job accepted, JobStatus status, int urls) {
        JobBuilder job = JobBuilder.from(accepted).status(status);
        if (status != JobStatus.QUEUED) {
            job.startedAt(accepted.createdAt()).urlsTotal((long) urls).chunksTotal(urls)
                    .phases(PhaseState.DONE, PhaseState.RUNNING, PhaseState.PENDING);
        }
        if (status == JobStatus.CANCELLING || status == JobStatus.CANCELLED) {
            job.stopReason(StopReason.CANCELLED);
        }
        if (status.terminal()) {
            job.completedAt = accepted.createdAt();
            job.phases(PhaseState.DONE, PhaseState.DONE, PhaseState.DONE);
        }
        return job;
    }

    /** A job put in the store in {@code status}, with the fields that state implies. */
    Job stored(String tenant, JobStatus status, String name) {
        return stored(tenant, status, name, JobSettings.DEFAULTS);
    }

    Job stored(String tenant, JobStatus status, String name, JobSettings settings) {
        String id = newId("job_");
        Job built = inState(Job.accepted(id, tenant, name, clock.instant(), JobInput.inline(BucketLayout.input(id)),
                settings, null), status, 0).build();
        jobs.put(built);
        clock.advance(Duration.ofMillis(1));
        return built;
    }

    /** One job of each state for tenant A, oldest first, and a running one for tenant B. */
    Map<JobStatus, String> oneOfEach() {
        Map<JobStatus, String> ids = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            ids.put(status, stored(TENANT_A, status, "job-" + status.wire()).id());
        }
        stored(TENANT_B, JobStatus.RUNNING, "theirs");
        return ids;
    }

    /** A running job already planned into chunk files of {@code chunkSize} entries, numbered from line 1. */
    Job planned(String tenant, JobSettings settings, List<String> entries, int chunkSize) throws Exception {
        String id = newId("job_");
        int chunks = (entries.size() + chunkSize - 1) / chunkSize;
        Job job = JobBuilder.from(Job.accepted(id, tenant, "to-retry", clock.instant(), JobInput.inline(BucketLayout.input(id)),
                        settings, null))
                .status(JobStatus.RUNNING).startedAt(clock.instant()).urlsTotal((long) entries.size()).chunksTotal(chunks)
                .phases(PhaseState.DONE, PhaseState.RUNNING, PhaseState.PENDING).build();
        jobs.put(job);
        for (int c = 0; c < chunks; c++) {
            StringBuilder text = new StringBuilder();
            for (int i = c * chunkSize; i < Math.min(entries.size(), (c + 1) * chunkSize); i++) {
                text.append(new InputEntry(i + 1, Json.parse(entries.get(i))).toLine()).append('\n');
            }
            blobs.putText(BucketLayout.chunk(id, c), text.toString());
        }
        clock.advance(Duration.ofMillis(1));
        return job;
    }

    /**
     * Writes the rows of every chunk of a planned job, those at {@code erroredLines} ending in error, commits the chunks
     * (last first) and ends the job {@code terminal}. A losing delivery's part, all errors, lies beside each chunk's.
     */
    Job finish(Job job, Set<Long> erroredLines, JobStatus terminal) throws Exception {
        return finish(job, erroredLines, Set.of(), terminal);
    }

    /** As above, the rows at {@code skippedLines} skipped (cancelled) rather than fetched. */
    Job finish(Job job, Set<Long> erroredLines, Set<Long> skippedLines, JobStatus terminal) throws Exception {
        Instant at = clock.instant();
        for (int c = job.chunksTotal() - 1; c >= 0; c--) {
            List<ResultRow> rows = new ArrayList<>();
            StringBuilder part = new StringBuilder();
            StringBuilder losing = new StringBuilder();
            Counters counters = Counters.ZERO;
            for (String line : blobs.text(BucketLayout.chunk(job.id(), c)).split("\n")) {
                InputEntry entry = InputEntry.fromLine(line);
                FetchOutcome outcome = erroredLines.contains(entry.line())
                        ? new FetchOutcome(RowStatus.ERROR, 500, entry.url(), "text/plain", 5, 20, 1, at, "http_error", "HTTP 500")
                        : skippedLines.contains(entry.line())
                        ? new FetchOutcome(RowStatus.SKIPPED, null, null, null, 0, 0, 0, at, "cancelled", "cancelled")
                        : new FetchOutcome(RowStatus.OK, 200, entry.url(), "text/html", 100, 30, 1, at, null, null);
                ResultRow row = new ResultRow(entry.line(), entry.url(), outcome, entry.meta());
                rows.add(row);
                counters = counters.with(row.status());
                part.append(row.toJson()).append('\n');
                losing.append(new ResultRow(entry.line(), entry.url(), new FetchOutcome(RowStatus.ERROR, null, null, null, 0,
                        0, 1, at, "timeout", "late"), entry.meta()).toJson()).append('\n');
            }
            String partKey = BucketLayout.part(job.id(), c, "won" + c);
            blobs.putText(partKey, part.toString());
            blobs.putText(BucketLayout.part(job.id(), c, "lost" + c), losing.toString());
            assertEquals(ChunkLedger.ChunkCommit.COMMITTED, jobs.commitChunk(job.tenant(), job.id(),
                    new ChunkResult(c, rows.size(), partKey, counters, ChunkStats.of(rows)), at));
        }
        assertTrue(jobs.claimFinalize(job.tenant(), job.id(), at));
        ResultPart result = new ResultPart(ResultWriter.partKey(job.tenant(), job.id(), 1, OutputSpec.DEFAULT), 1,
                job.urlsTotal(), "00");
        assertTrue(jobs.finish(job.tenant(), job.id(), job.status(), terminal, null, List.of(result), at));
        return jobs.find(job.tenant(), job.id()).orElseThrow();
    }
}
