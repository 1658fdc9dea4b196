package dev.trawl.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.port.InMemoryBlobStore;
import dev.trawl.core.port.InMemoryJobStore;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.RecordingWorkQueue;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.core.work.JobRef;
import dev.trawl.core.work.WorkKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobsApiTest {
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    private static final String TENANT_A = "tenant-a";
    private static final String TENANT_B = "tenant-b";
    private static final String BODY = """
            {"name": "nightly", "input": {"urls": ["https://example.com/a",
              {"url": "https://example.com/b", "meta": {"sku": "B-1"}, "retries": 0}, "not a url"]},
             "concurrency": 8}
            """;

    private InMemoryJobStore jobs;
    private InMemoryBlobStore blobs;
    private RecordingWorkQueue queue;
    private Cursors cursors;
    private JobsApi api;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
        jobs = new InMemoryJobStore();
        blobs = new InMemoryBlobStore();
        queue = new RecordingWorkQueue();
        cursors = new Cursors("jobs-api-test-cursor-key-32bytes".getBytes(StandardCharsets.UTF_8));
        api = new JobsApi(new JobService(jobs, blobs, queue, Clock.fixed(NOW, ZoneOffset.UTC)), cursors);
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static ApiRequest request(String routeKey, Map<String, String> path, Map<String, List<String>> query,
                                      String body, String tenant) {
        return new ApiRequest(routeKey, path, query, Map.of("content-type", "application/json"), body, tenant);
    }

    private ApiResponse post(String body, String tenant) {
        return api.handle(request("POST /v1/jobs", Map.of(), Map.of(), body, tenant));
    }

    private ApiResponse get(String id, String tenant) {
        return api.handle(request("GET /v1/jobs/{id}", id == null ? Map.of() : Map.of("id", id), Map.of(), null, tenant));
    }

    private ApiResponse list(Map<String, List<String>> query, String tenant) {
        return api.handle(request("GET /v1/jobs", Map.of(), query, null, tenant));
    }

    private static JsonNode json(ApiResponse response) throws Exception {
        assertEquals("application/json", response.headers().get("content-type"));
        return Json.parse(response.body());
    }

    /** Asserts the contract's error form and returns the error object. */
    private static JsonNode assertError(ApiResponse response, int status, String code) throws Exception {
        assertEquals(status, response.status(), response.body());
        JsonNode body = json(response);
        assertEquals(List.of("error"), List.copyOf(iterable(body.fieldNames())));
        JsonNode error = body.get("error");
        assertEquals(code, error.get("code").textValue());
        assertTrue(error.get("message").isTextual() && !error.get("message").textValue().isBlank());
        return error;
    }

    private static void assertInvalid(ApiResponse response, String field) throws Exception {
        JsonNode error = assertError(response, 400, "invalid_request");
        assertEquals(field, error.path("field").textValue(), response.body());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    private String createdId(String tenant) throws Exception {
        ApiResponse response = post(BODY, tenant);
        assertEquals(202, response.status(), response.body());
        return json(response).get("id").textValue();
    }

    private void assertNothingCreated() {
        assertEquals(0, jobs.size());
        assertTrue(blobs.all().isEmpty());
        assertTrue(queue.planRequests.isEmpty());
    }

    // ---- authentication --------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"POST /v1/jobs", "GET /v1/jobs", "GET /v1/jobs/{id}", "DELETE /v1/jobs/{id}", "GET /nowhere"})
    void withoutATenantEveryRouteIsUnauthorized(String routeKey) throws Exception {
        ApiResponse response = api.handle(request(routeKey, Map.of("id", "job_01JD3F2D1A77B0E1XYZ0000000"), Map.of(),
                BODY, null));
        JsonNode error = assertError(response, 401, "unauthorized");
        assertTrue(error.path("field").isMissingNode());
        assertNothingCreated();
    }

    // ---- create ----------------------------------------------------------------------------------------

    @Test
    void postCreatesAQueuedJob() throws Exception {
        ApiResponse response = post(BODY, TENANT_A);

        assertEquals(202, response.status(), response.body());
        JsonNode job = json(response);
        String id = job.get("id").textValue();
        assertTrue(id.matches("job_[0-9A-HJKMNP-TV-Z]{26}"), id);
        assertEquals("/v1/jobs/" + id, response.headers().get("location"));
        assertEquals("queued", job.get("status").textValue());
        assertEquals("nightly", job.get("name").textValue());
        assertEquals(8, job.get("concurrency").intValue());
        assertEquals("2026-05-12T10:00:00Z", job.get("created_at").textValue());
        assertTrue(job.get("urls_total").isNull());
        assertEquals("inline", job.at("/input/type").textValue());
        assertEquals("ndjson", job.at("/output/format").textValue());

        // stored under the caller's tenant
        Job stored = jobs.find(TENANT_A, id).orElseThrow();
        assertEquals(JobStatus.QUEUED, stored.status());
        assertEquals(TENANT_A, stored.tenant());
        assertEquals(WorkKeys.input(id), stored.inputKey());
        assertTrue(jobs.find(TENANT_B, id).isEmpty());

        // the input, one NDJSON line per entry, as given and in order
        InMemoryBlobStore.Blob input = blobs.get(WorkKeys.input(id));
        assertNotNull(input, "input blob written");
        assertEquals("application/x-ndjson", input.contentType());
        String text = new String(input.content(), StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"));
        String[] lines = text.split("\n");
        assertEquals(3, lines.length);
        JsonNode given = Json.parse(BODY).at("/input/urls");
        for (int i = 0; i < lines.length; i++) {
            assertFalse(lines[i].isBlank());
            assertEquals(given.get(i), Json.parse(lines[i]), "line " + (i + 1));
        }

        // and the planner is asked to plan it
        assertEquals(List.of(new JobRef(TENANT_A, id)), queue.planRequests);
        assertTrue(queue.chunks.isEmpty());
        assertTrue(queue.finalizeRequests.isEmpty());
    }

    @Test
    void theCreatedJobReadsBackAsAnsweredAtCreation() throws Exception {
        ApiResponse created = post(BODY, TENANT_A);
        String id = json(created).get("id").textValue();

        ApiResponse read = get(id, TENANT_A);

        assertEquals(200, read.status());
        assertEquals(json(created), json(read));
    }

    @Test
    void twoJobsGetDistinctIdsThatSortByCreation() throws Exception {
        String first = createdId(TENANT_A);
        String second = createdId(TENANT_A);
        assertTrue(first.compareTo(second) < 0, first + " then " + second);
        assertEquals(2, jobs.size());
        assertEquals(2, queue.planRequests.size());
    }

    @Test
    void anInvalidBodyIsA400AndCreatesNothing() throws Exception {
        assertInvalid(post("{\"input\": {\"urls\": [\"https://example.com\", 42]}}", TENANT_A), "input.urls[1]");
        assertInvalid(post("{\"input\": {\"urls\": [\"https://example.com\"]}, \"concurrency\": 0}", TENANT_A), "concurrency");
        assertInvalid(post("{\"input\": {\"urls\": [\"https://example.com\"]}, \"webhook\": \"https://x.example/\"}", TENANT_A),
                "webhook");
        assertError(post("{not json", TENANT_A), 400, "invalid_request");
        assertError(post(null, TENANT_A), 400, "invalid_request");
        assertNothingCreated();
    }

    @Test
    void anOversizedBodyIsA413() throws Exception {
        String body = "{\"name\": \"" + "x".repeat(CreateJobRequest.MAX_BODY_BYTES) + "\", \"input\": {\"urls\": [\"https://example.com\"]}}";
        assertError(post(body, TENANT_A), 413, "payload_too_large");
        assertNothingCreated();
    }

    @Test
    void postWithAQueryParameterIsA400() throws Exception {
        ApiResponse response = api.handle(request("POST /v1/jobs", Map.of(), Map.of("dry_run", List.of("true")), BODY, TENANT_A));
        assertInvalid(response, "dry_run");
        assertNothingCreated();
    }

    // ---- read ------------------------------------------------------------------------------------------

    @Test
    void anotherTenantsJobIsNotFoundExactlyLikeAMissingOne() throws Exception {
        String id = createdId(TENANT_A);

        ApiResponse theirs = get(id, TENANT_B);
        ApiResponse missing = get("job_01JD3F2D1A77B0E1XYZ0000000", TENANT_B);

        JsonNode error = assertError(theirs, 404, "not_found");
        assertTrue(error.path("field").isMissingNode());
        assertEquals(missing.status(), theirs.status());
        assertEquals(missing.body(), theirs.body());
        assertEquals(missing.headers(), theirs.headers());
        assertEquals(200, get(id, TENANT_A).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "job_", "job_123", "upl_01JD3F2D1A77B0E1XYZ0000000", "job_01jd3f2d1a77b0e1xyz0000000",
            "job_01JD3F2D1A77B0E1XYZ00000000", "../job_01JD3F2D1A77B0E1XYZ0000000", "job_01JD3F2D1A77B0E1XYZ000000%",
            "job_01JD3F2D1A77B0E1XYZ000000\n"})
    void aMalformedIdIsNotFound(String id) throws Exception {
        assertError(get(id, TENANT_A), 404, "not_found");
    }

    @Test
    void aMissingIdIsNotFound() throws Exception {
        assertError(get(null, TENANT_A), 404, "not_found");
    }

    @Test
    void aMalformedIdNeverReachesTheStore() throws Exception {
        JobStore failing = new ThrowingJobStore();
        JobsApi strict = new JobsApi(new JobService(failing, blobs, queue, Clock.systemUTC()), cursors);
        assertError(strict.handle(request("GET /v1/jobs/{id}", Map.of("id", "job_x"), Map.of(), null, TENANT_A)),
                404, "not_found");
    }

    @Test
    void getWithAQueryParameterIsA400() throws Exception {
        String id = createdId(TENANT_A);
        ApiResponse response = api.handle(request("GET /v1/jobs/{id}", Map.of("id", id), Map.of("verbose", List.of("1")),
                null, TENANT_A));
        assertInvalid(response, "verbose");
    }

    // ---- list ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "abc", "-1", "", " 5", "1.5", "99999999999", "0x10"})
    void aBadLimitIsA400(String limit) throws Exception {
        assertInvalid(list(Map.of("limit", List.of(limit)), TENANT_A), "limit");
    }

    @Test
    void aRepeatedLimitIsA400() throws Exception {
        assertInvalid(list(Map.of("limit", List.of("5", "6")), TENANT_A), "limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "50", "1000"})
    void limitsInRangeAreAccepted(String limit) throws Exception {
        ApiResponse response = list(Map.of("limit", List.of(limit)), TENANT_A);
        assertEquals(200, response.status(), response.body());
    }

    @Test
    void anUnknownQueryParameterIsA400() throws Exception {
        assertInvalid(list(Map.of("colour", List.of("blue")), TENANT_A), "colour");
        assertInvalid(list(Map.of("limt", List.of("5")), TENANT_A), "limt");
    }

    @Test
    void listingPagesThroughTheTenantsOwnJobsNewestFirst() throws Exception {
        String a1 = createdId(TENANT_A);
        String b1 = createdId(TENANT_B);
        String a2 = createdId(TENANT_A);
        String a3 = createdId(TENANT_A);

        JsonNode first = json(list(Map.of("limit", List.of("2")), TENANT_A));
        assertEquals(List.of(a3, a2), ids(first));
        String cursor = first.get("next_cursor").textValue();
        assertNotNull(cursor);

        JsonNode second = json(list(Map.of("limit", List.of("2"), "cursor", List.of(cursor)), TENANT_A));
        assertEquals(List.of(a1), ids(second));
        assertTrue(second.get("next_cursor").isNull());

        JsonNode all = json(list(Map.of(), TENANT_A));
        assertEquals(List.of(a3, a2, a1), ids(all));
        assertTrue(all.get("next_cursor").isNull());
        assertEquals(Json.parse(Json.write(JobJson.of(jobs.find(TENANT_A, a3).orElseThrow()))), all.get("jobs").get(0));

        assertEquals(List.of(b1), ids(json(list(Map.of(), TENANT_B))));
        assertEquals(List.of(), ids(json(list(Map.of(), "tenant-c"))));
    }

    @Test
    void anotherTenantsCursorIsA400() throws Exception {
        createdId(TENANT_A);
        createdId(TENANT_A);
        String cursor = json(list(Map.of("limit", List.of("1")), TENANT_A)).get("next_cursor").textValue();
        assertNotNull(cursor);

        assertInvalid(list(Map.of("cursor", List.of(cursor)), TENANT_B), "cursor");
        assertInvalid(list(Map.of("cursor", List.of("garbage")), TENANT_A), "cursor");
        assertInvalid(list(Map.of("cursor", List.of(cursor.substring(1))), TENANT_A), "cursor");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("jobs").forEach(job -> ids.add(job.get("id").textValue()));
        return ids;
    }

    // ---- routes and failures ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"DELETE /v1/jobs/{id}", "POST /v1/jobs/{id}/cancel", "PUT /v1/jobs", "GET /v1/uploads/{id}",
            "GET /", "$default"})
    void aRouteNotServedIsNotFound(String routeKey) throws Exception {
        assertError(api.handle(request(routeKey, Map.of("id", "job_01JD3F2D1A77B0E1XYZ0000000"), Map.of(), null, TENANT_A)),
                404, "not_found");
        assertNothingCreated();
    }

    @Test
    void aRequestWithoutARouteKeyIsNotFound() throws Exception {
        assertError(api.handle(request(null, Map.of(), Map.of(), null, TENANT_A)), 404, "not_found");
    }

    @Test
    void aServiceFailureIsA500WithoutDetails() throws Exception {
        JobsApi broken = new JobsApi(new JobService(new ThrowingJobStore(), blobs, queue, Clock.systemUTC()), cursors);

        ApiResponse response = broken.handle(request("GET /v1/jobs/{id}", Map.of("id", "job_01JD3F2D1A77B0E1XYZ0000000"),
                Map.of(), null, TENANT_A));

        assertError(response, 500, "internal_error");
        assertFalse(response.body().contains("table is on fire"), response.body());
        assertTrue(logs.toString(StandardCharsets.UTF_8).contains("table is on fire"), "the cause is logged");
    }

    /** A store that fails every call. */
    private static final class ThrowingJobStore implements JobStore {
        private static RuntimeException fire() {
            return new IllegalStateException("table is on fire");
        }

        @Override
        public void create(Job job) {
            throw fire();
        }

        @Override
        public Optional<Job> find(String tenant, String jobId) {
            throw fire();
        }

        @Override
        public JobPage list(String tenant, int limit, String afterJobId) {
            throw fire();
        }

        @Override
        public boolean markPlanned(String tenant, String jobId, long urlsTotal, int chunksTotal, Instant now) {
            throw fire();
        }

        @Override
        public ChunkCommit commitChunk(String tenant, String jobId, dev.trawl.core.work.ChunkResult result, Instant now) {
            throw fire();
        }

        @Override
        public Optional<dev.trawl.core.work.ChunkResult> committedChunk(String jobId, int chunk) {
            throw fire();
        }

        @Override
        public boolean claimFinalize(String tenant, String jobId, Instant now) {
            throw fire();
        }

        @Override
        public void releaseFinalize(String tenant, String jobId) {
            throw fire();
        }

        @Override
        public Iterable<dev.trawl.core.work.ChunkResult> committedChunks(String jobId) {
            throw fire();
        }

        @Override
        public boolean complete(String tenant, String jobId, List<dev.trawl.core.job.ResultPart> parts, Instant now) {
            throw fire();
        }
    }
}
