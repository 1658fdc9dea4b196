package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.input.ChunkEntry;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.job.Webhook;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.metrics.LatencyHistogram;
import dev.trawl.core.plan.PlanJob;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.row.FetchOutcome;
import dev.trawl.core.row.ResultRow;
import dev.trawl.core.row.RowStatus;
import dev.trawl.core.testing.Failing;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.InMemoryUploadStore;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.core.view.JobJson;
import dev.trawl.core.webhook.WebhookEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    private MutableClock clock;
    private Ids testIds;
    private Cursors cursors;
    private HttpApi api;
    private InMemoryUploadStore uploads;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
        jobs = new InMemoryJobStore();
        blobs = new InMemoryBlobStore();
        queue = new RecordingWorkQueue();
        clock = new MutableClock(NOW);
        testIds = new Ids(clock);
        cursors = new Cursors("jobs-api-test-cursor-key-32bytes".getBytes(StandardCharsets.UTF_8));
        uploads = new InMemoryUploadStore();
        api = HttpApi.over(jobs, jobs, jobs, jobs, uploads, blobs, queue, null, null, cursors, clock);
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
        clock.advance(Duration.ofMillis(1)); // ids of the service and of the tests sort by creation together
        return json(response).get("id").textValue();
    }

    private void assertNothingCreated() {
        assertEquals(0, jobs.size());
        assertTrue(blobs.all().isEmpty());
        assertTrue(queue.planRequests.isEmpty());
    }

    // ---- authentication --------------------------------------------------------------------------------

    static List<String> everyRouteAndAnUnknownOne() {
        List<String> routes = new ArrayList<>(HttpApi.ROUTES);
        routes.add("GET /nowhere");
        return routes;
    }

    @ParameterizedTest
    @MethodSource("everyRouteAndAnUnknownOne")
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
        assertEquals(BucketLayout.input(id), stored.input().key());
        assertTrue(jobs.find(TENANT_B, id).isEmpty());

        // the input, one NDJSON line per entry, as given and in order
        InMemoryBlobStore.Blob input = blobs.get(BucketLayout.input(id));
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
        assertInvalid(post("{\"input\": {\"urls\": [\"https://example.com\"]}, \"webhook\": \"ftp://x.example/\"}", TENANT_A),
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
        JobStore failing = Failing.port(JobStore.class, () -> new AssertionError("the store was reached"));
        HttpApi strict = HttpApi.over(failing, jobs, jobs, jobs, uploads, blobs, queue, null, null, cursors, Clock.systemUTC());
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
        assertEquals(Json.parse(Json.write(JobJson.of(jobs.find(TENANT_A, a3).orElseThrow(), clock.instant()))), all.get("jobs").get(0));

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

    @ParameterizedTest
    @ValueSource(strings = {"+5", "\u0663", "05000", " 5", "1e2", "0x10"})
    void aLimitIsPlainAsciiDigits(String limit) throws Exception {
        assertError(list(Map.of("limit", List.of(limit)), TENANT_A), 400, "invalid_request");
    }

    // ---- webhooks --------------------------------------------------------------------------------------

    private ApiResponse deliveries(String id, String tenant) {
        return api.handle(request("GET /v1/jobs/{id}/webhook-deliveries", Map.of("id", id), Map.of(), null, tenant));
    }

    private ApiResponse redeliver(String id, String tenant) {
        return api.handle(request("POST /v1/jobs/{id}/webhook-deliveries/redeliver", Map.of("id", id), Map.of(), null, tenant));
    }

    @Test
    void theSecretIsShownOnceInTheAnswerThatCreatesTheJob() throws Exception {
        ApiResponse created = post("{\"input\": {\"urls\": [\"https://example.com\"]}, \"webhook\": \"https://hooks.example.com/t\"}",
                TENANT_A);
        assertEquals(202, created.status(), created.body());
        String secret = json(created).get("webhook_secret").textValue();
        assertTrue(secret.startsWith("whsec_"), secret);
        String id = json(created).get("id").textValue();
        assertFalse(get(id, TENANT_A).body().contains(secret), "GET never shows it");
        assertFalse(post("{\"input\": {\"urls\": [\"https://example.com\"]}}", TENANT_A).body().contains("webhook_secret"));
        assertEquals(secret, jobs.find(TENANT_A, id).orElseThrow().settings().webhook().secret());
    }

    @Test
    void deliveriesListTheAttemptsOfTheJobsEventInOrder() throws Exception {
        JobSettings hooked = JobSettings.DEFAULTS.withWebhook(new Webhook("https://hooks.example.com/t", "whsec_x"));
        Job job = stored(TENANT_A, JobStatus.COMPLETED, "done", hooked);
        String eventId = WebhookEvent.id(job.id());
        jobs.record(TENANT_A, job.id(), new WebhookDelivery(eventId, "job.completed", 1, clock.instant(), 500, 40, "http_error"));
        jobs.record(TENANT_A, job.id(), new WebhookDelivery(eventId, "job.completed", 2, clock.instant().plusSeconds(60), null, 10_000, "timeout"));

        JsonNode body = json(deliveries(job.id(), TENANT_A));
        assertEquals(Json.parse("""
                {"deliveries": [
                  {"event_id": "%1$s", "type": "job.completed", "attempt": 1, "at": "%2$s", "http_status": 500, "latency_ms": 40, "error": "http_error"},
                  {"event_id": "%1$s", "type": "job.completed", "attempt": 2, "at": "%3$s", "http_status": null, "latency_ms": 10000, "error": "timeout"}
                ]}""".formatted(eventId, clock.instant(), clock.instant().plusSeconds(60))), body);
        assertError(deliveries(job.id(), TENANT_B), 404, "not_found");
        assertEquals(Json.parse("{\"deliveries\": []}"), json(deliveries(stored(TENANT_A, JobStatus.COMPLETED, "plain").id(), TENANT_A)));
    }

    @Test
    void redeliverQueuesTheSameEventAsTheNextAttempt() throws Exception {
        JobSettings hooked = JobSettings.DEFAULTS.withWebhook(new Webhook("https://hooks.example.com/t", "whsec_x"));
        Job job = stored(TENANT_A, JobStatus.FAILED, "failed", hooked);
        jobs.record(TENANT_A, job.id(), new WebhookDelivery(WebhookEvent.id(job.id()), "job.failed", 3, clock.instant(), 200, 5, null));

        ApiResponse response = redeliver(job.id(), TENANT_A);

        assertEquals(202, response.status(), response.body());
        assertEquals(Json.parse("{\"event_id\": \"" + WebhookEvent.id(job.id()) + "\", \"type\": \"job.failed\"}"), json(response));
        assertEquals(List.of(WebhookTask.first(TENANT_A, job.id(), 4, clock.instant())), queue.webhooks);
        assertError(redeliver(job.id(), TENANT_B), 404, "not_found");
        assertError(redeliver(stored(TENANT_A, JobStatus.RUNNING, "live", hooked).id(), TENANT_A), 409, "job_active");
        assertError(redeliver(stored(TENANT_A, JobStatus.COMPLETED, "plain").id(), TENANT_A), 409, "no_webhook");
        assertEquals(1, queue.webhooks.size());
    }

    // ---- routes and failures ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"PATCH /v1/jobs/{id}", "PUT /v1/jobs", "GET /v1/uploads/{id}", "GET /v1/jobs/{id}/webhooks",
            "GET /", "$default"})
    void aRouteNotServedIsNotFound(String routeKey) throws Exception {
        assertError(api.handle(request(routeKey, Map.of("id", "job_01JD3F2D1A77B0E1XYZ0000000"), Map.of(), null, TENANT_A)),
                404, "not_found");
        assertNothingCreated();
    }

    /** Found by ApiFuzzTest: a number Jackson cannot hold escaped as a NumberFormatException and answered 500. */
    @Test
    void aNumberWithAnExponentPastIntIsA400OnEveryJsonBody() throws Exception {
        assertInvalid(post("{\"input\": {\"urls\": [-1e-2147483649]}}", TENANT_A), null);
        assertInvalid(api.handle(request("POST /v1/uploads", Map.of(), Map.of(),
                "{\"filename\": \"urls.txt\", \"size\": 1e-2147483649}", TENANT_A)), null);
        assertNothingCreated();
    }

    /** Found by ApiFuzzTest: a Content-Type of parameters alone split into no element at all and answered 500. */
    @ParameterizedTest
    @ValueSource(strings = {";", ";;", "; charset=utf-8", ""})
    void anUploadWithAContentTypeWithoutATypeIsUnsupported(String contentType) throws Exception {
        ApiResponse response = api.handle(new ApiRequest("POST /v1/uploads", Map.of(), Map.of(),
                Map.of("content-type", contentType), "https://example.com/a\n", TENANT_A));

        assertError(response, 415, "unsupported_media_type");
        assertNothingCreated();
    }

    @Test
    void aRequestWithoutARouteKeyIsNotFound() throws Exception {
        assertError(api.handle(request(null, Map.of(), Map.of(), null, TENANT_A)), 404, "not_found");
    }

    @Test
    void aServiceFailureIsA500WithoutDetails() throws Exception {
        JobStore onFire = Failing.port(JobStore.class, () -> new IllegalStateException("table is on fire"));
        HttpApi broken = HttpApi.over(onFire, jobs, jobs, jobs, new InMemoryUploadStore(), blobs, queue, null, null, cursors,
                Clock.systemUTC());

        ApiResponse response = broken.handle(request("GET /v1/jobs/{id}", Map.of("id", "job_01JD3F2D1A77B0E1XYZ0000000"),
                Map.of(), null, TENANT_A));

        assertError(response, 500, "internal_error");
        assertFalse(response.body().contains("table is on fire"), response.body());
        assertTrue(logs.toString(StandardCharsets.UTF_8).contains("table is on fire"), "the cause is logged");
    }

    // =====================================================================================================
    // The job lifecycle routes
    // =====================================================================================================

    // ---- more helpers ----------------------------------------------------------------------------------

    private ApiResponse call(String routeKey, String id, Map<String, List<String>> query, String tenant) {
        return api.handle(request(routeKey, id == null ? Map.of() : Map.of("id", id), query, null, tenant));
    }

    private ApiResponse withKey(String routeKey, Map<String, String> path, String body, String key, String tenant) {
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json"));
        if (key != null) {
            headers.put("idempotency-key", key);
        }
        return api.handle(new ApiRequest(routeKey, path, Map.of(), headers, body, tenant));
    }

    private static Map<String, List<String>> q(String... nameValuePairs) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            query.computeIfAbsent(nameValuePairs[i], k -> new ArrayList<>()).add(nameValuePairs[i + 1]);
        }
        return query;
    }

    /** A job put in the store in {@code status}, with the fields that state implies. */
    private Job stored(String tenant, JobStatus status, String name) {
        return stored(tenant, status, name, JobSettings.DEFAULTS);
    }

    private Job stored(String tenant, JobStatus status, String name, JobSettings settings) {
        String id = testIds.next("job_");
        JobBuilder job = JobBuilder.from(Job.accepted(id, tenant, name, clock.instant(), JobInput.inline(BucketLayout.input(id)),
                settings, null)).status(status);
        if (status != JobStatus.QUEUED) {
            job.startedAt(clock.instant()).urlsTotal(0L).chunksTotal(0)
                    .phases(PhaseState.DONE, PhaseState.RUNNING, PhaseState.PENDING);
        }
        if (status == JobStatus.CANCELLING || status == JobStatus.CANCELLED) {
            job.stopReason(StopReason.CANCELLED);
        }
        if (status.terminal()) {
            job.completedAt = clock.instant();
            job.phases(PhaseState.DONE, PhaseState.DONE, PhaseState.DONE);
        }
        Job built = job.build();
        jobs.put(built);
        clock.advance(Duration.ofMillis(1));
        return built;
    }

    /** The files a finished job leaves: input, a chunk, a part, and its result. */
    private List<String> filesOf(Job job) {
        List<String> keys = List.of(BucketLayout.input(job.id()), BucketLayout.chunk(job.id(), 0), BucketLayout.part(job.id(), 0, "a1"),
                dev.trawl.core.output.ResultWriter.partKey(job.tenant(), job.id(), 1, dev.trawl.core.job.OutputSpec.DEFAULT));
        for (String key : keys) {
            blobs.putText(key, "{}\n");
        }
        return keys;
    }

    private static List<String> ids(ApiResponse response) throws Exception {
        assertEquals(200, response.status(), response.body());
        return ids(json(response));
    }

    private static String statusOf(ApiResponse response) throws Exception {
        return json(response).get("status").textValue();
    }

    // ---- list: status and name_prefix ------------------------------------------------------------------

    /** One job of each state for tenant A, oldest first, and a running one for tenant B. */
    private Map<JobStatus, String> oneOfEach() {
        Map<JobStatus, String> ids = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            ids.put(status, stored(TENANT_A, status, "job-" + status.wire()).id());
        }
        stored(TENANT_B, JobStatus.RUNNING, "theirs");
        return ids;
    }

    private static List<String> newestFirst(Map<JobStatus, String> ids, JobStatus... statuses) {
        return java.util.Arrays.stream(statuses).map(ids::get).sorted(java.util.Comparator.reverseOrder()).toList();
    }

    @Test
    void listFiltersByOneStatus() throws Exception {
        Map<JobStatus, String> ids = oneOfEach();
        for (JobStatus status : JobStatus.values()) {
            assertEquals(List.of(ids.get(status)), ids(list(q("status", status.wire()), TENANT_A)), status.wire());
        }
    }

    @Test
    void listTakesCommaListsRepeatsAndCase() throws Exception {
        Map<JobStatus, String> ids = oneOfEach();

        assertEquals(newestFirst(ids, JobStatus.QUEUED, JobStatus.RUNNING),
                ids(list(q("status", "running,queued"), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.RUNNING, JobStatus.FAILED),
                ids(list(q("status", "running", "status", "failed"), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.CANCELLED),
                ids(list(q("status", "running,failed", "status", "cancelled"), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.RUNNING, JobStatus.FAILED),
                ids(list(q("status", " Running , FAILED "), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.RUNNING), ids(list(q("status", "running,running"), TENANT_A)));
    }

    @Test
    void activeTerminalAndAllAreShorthands() throws Exception {
        Map<JobStatus, String> ids = oneOfEach();
        List<String> every = newestFirst(ids, JobStatus.values());

        assertEquals(newestFirst(ids, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLING),
                ids(list(q("status", "active"), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED),
                ids(list(q("status", "terminal"), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.RUNNING),
                ids(list(q("status", "terminal,running"), TENANT_A)));
        assertEquals(every, ids(list(q("status", "all"), TENANT_A)));
        assertEquals(every, ids(list(q("status", "active,terminal"), TENANT_A)));
        assertEquals(every, ids(list(q("status", "all,running"), TENANT_A)));
        assertEquals(every, ids(list(q(), TENANT_A)), "no status is all");
    }

    @ParameterizedTest
    @ValueSource(strings = {"runing", "", "running,", ",running", "all,bogus", "done", "active;terminal", "queued running"})
    void anUnknownStatusIsA400(String status) throws Exception {
        assertInvalid(list(q("status", status), TENANT_A), "status");
    }

    @Test
    void anUnknownStatusAmongRepeatsIsA400() throws Exception {
        assertInvalid(list(q("status", "running", "status", "nope"), TENANT_A), "status");
    }

    @Test
    void listFiltersByNamePrefix() throws Exception {
        String n1 = stored(TENANT_A, JobStatus.RUNNING, "nightly-1").id();
        stored(TENANT_A, JobStatus.RUNNING, "weekly-1");
        String n2 = stored(TENANT_A, JobStatus.COMPLETED, "nightly-2").id();
        stored(TENANT_A, JobStatus.RUNNING, null);
        stored(TENANT_B, JobStatus.RUNNING, "nightly-theirs");

        assertEquals(List.of(n2, n1), ids(list(q("name_prefix", "nightly-"), TENANT_A)));
        assertEquals(List.of(n2, n1), ids(list(q("name_prefix", "n"), TENANT_A)));
        assertEquals(List.of(n1), ids(list(q("name_prefix", "nightly-1"), TENANT_A)));
        assertEquals(List.of(), ids(list(q("name_prefix", "Nightly"), TENANT_A)), "case-sensitive");
        assertEquals(List.of(), ids(list(q("name_prefix", "nightly-1x"), TENANT_A)));
        assertEquals(List.of(n2), ids(list(q("name_prefix", "nightly", "status", "terminal"), TENANT_A)));
        assertEquals(List.of(n1), ids(list(q("name_prefix", "nightly", "status", "running"), TENANT_A)));
    }

    @Test
    void aNamePrefixMustBe1To256Characters() throws Exception {
        assertInvalid(list(q("name_prefix", ""), TENANT_A), "name_prefix");
        assertInvalid(list(q("name_prefix", "n".repeat(257)), TENANT_A), "name_prefix");
        assertInvalid(list(q("name_prefix", "a", "name_prefix", "b"), TENANT_A), "name_prefix");
        String longest = "n".repeat(256);
        String id = stored(TENANT_A, JobStatus.RUNNING, longest).id();
        assertEquals(List.of(id), ids(list(q("name_prefix", longest), TENANT_A)));
    }

    @Test
    void pagingWithFiltersVisitsEveryMatchOnceNewestFirst() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            JobStatus status = i % 3 == 0 ? JobStatus.COMPLETED : i % 3 == 1 ? JobStatus.RUNNING : JobStatus.FAILED;
            String name = i % 2 == 0 ? "alpha-" + i : "beta-" + i;
            String id = stored(TENANT_A, status, name).id();
            if (status.terminal() && name.startsWith("alpha")) {
                expected.addFirst(id);
            }
        }
        assertEquals(5, expected.size());

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, List<String>> query = q("status", "completed,failed", "name_prefix", "alpha", "limit", "2");
            if (cursor != null) {
                query.put("cursor", List.of(cursor));
            }
            JsonNode page = json(list(query, TENANT_A));
            List<String> pageIds = ids(page);
            assertTrue(pageIds.size() <= 2);
            seen.addAll(pageIds);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").textValue();
            pages++;
        } while (cursor != null && pages < 10);

        assertEquals(expected, seen);
        assertEquals(3, pages);
    }

    // ---- cancel ----------------------------------------------------------------------------------------

    @Test
    void cancellingAQueuedJobAnswers202Cancelling() throws Exception {
        String id = createdId(TENANT_A);

        ApiResponse response = call("POST /v1/jobs/{id}/cancel", id, q(), TENANT_A);

        assertEquals(202, response.status(), response.body());
        assertEquals("cancelling", statusOf(response));
        assertEquals(id, json(response).get("id").textValue());
        Job job = jobs.find(TENANT_A, id).orElseThrow();
        assertEquals(JobStatus.CANCELLING, job.status());
        assertEquals(StopReason.CANCELLED, job.stopReason());
        assertEquals(json(response), json(get(id, TENANT_A)), "the answer is the job as stored");
    }

    @Test
    void cancellingARunningJobAnswers202Cancelling() throws Exception {
        String id = stored(TENANT_A, JobStatus.RUNNING, "r").id();

        ApiResponse response = call("POST /v1/jobs/{id}/cancel", id, q(), TENANT_A);

        assertEquals(202, response.status(), response.body());
        assertEquals("cancelling", statusOf(response));
        assertEquals(JobStatus.CANCELLING, jobs.find(TENANT_A, id).orElseThrow().status());
    }

    @Test
    void cancellingTwiceIsHarmless() throws Exception {
        String id = stored(TENANT_A, JobStatus.RUNNING, "r").id();
        assertEquals(202, call("POST /v1/jobs/{id}/cancel", id, q(), TENANT_A).status());
        Job once = jobs.find(TENANT_A, id).orElseThrow();

        ApiResponse again = call("POST /v1/jobs/{id}/cancel", id, q(), TENANT_A);

        assertEquals(202, again.status(), "still cancelling, not yet terminal");
        assertEquals("cancelling", statusOf(again));
        assertEquals(once, jobs.find(TENANT_A, id).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETED", "FAILED", "CANCELLED"})
    void cancellingATerminalJobAnswers200WithTheJobUnchanged(JobStatus status) throws Exception {
        Job job = stored(TENANT_A, status, "done");

        ApiResponse response = call("POST /v1/jobs/{id}/cancel", job.id(), q(), TENANT_A);

        assertEquals(200, response.status(), response.body());
        assertEquals(status.wire(), statusOf(response));
        assertEquals(job, jobs.find(TENANT_A, job.id()).orElseThrow());
        assertEquals(json(get(job.id(), TENANT_A)), json(response));
    }

    @Test
    void cancellingAnUnknownOrAnotherTenantsJobIsNotFound() throws Exception {
        Job theirs = stored(TENANT_B, JobStatus.RUNNING, "theirs");

        assertError(call("POST /v1/jobs/{id}/cancel", "job_01JD3F2D1A77B0E1XYZ0000000", q(), TENANT_A), 404, "not_found");
        assertError(call("POST /v1/jobs/{id}/cancel", theirs.id(), q(), TENANT_A), 404, "not_found");
        assertError(call("POST /v1/jobs/{id}/cancel", "job_x", q(), TENANT_A), 404, "not_found");
        assertError(call("DELETE /v1/jobs/{id}", theirs.id(), q(), TENANT_A), 404, "not_found");
        assertEquals(theirs, jobs.find(TENANT_B, theirs.id()).orElseThrow());
    }

    @Test
    void cancelTakesNoQueryParameter() throws Exception {
        String id = stored(TENANT_A, JobStatus.RUNNING, "r").id();
        assertInvalid(call("POST /v1/jobs/{id}/cancel", id, q("purge", "true"), TENANT_A), "purge");
        assertEquals(JobStatus.RUNNING, jobs.find(TENANT_A, id).orElseThrow().status());
    }

    @Test
    void deleteWithoutPurgeCancels() throws Exception {
        String queued = createdId(TENANT_A);
        String running = stored(TENANT_A, JobStatus.RUNNING, "r").id();
        Job done = stored(TENANT_A, JobStatus.COMPLETED, "c");

        ApiResponse a = call("DELETE /v1/jobs/{id}", queued, q(), TENANT_A);
        ApiResponse b = call("DELETE /v1/jobs/{id}", running, q("purge", "false"), TENANT_A);
        ApiResponse c = call("DELETE /v1/jobs/{id}", done.id(), q(), TENANT_A);

        assertEquals(202, a.status(), a.body());
        assertEquals("cancelling", statusOf(a));
        assertEquals(202, b.status(), b.body());
        assertEquals("cancelling", statusOf(b));
        assertEquals(200, c.status(), c.body());
        assertEquals("completed", statusOf(c));
        assertEquals(JobStatus.CANCELLING, jobs.find(TENANT_A, queued).orElseThrow().status());
        assertEquals(JobStatus.CANCELLING, jobs.find(TENANT_A, running).orElseThrow().status());
        assertEquals(done, jobs.find(TENANT_A, done.id()).orElseThrow());
        assertEquals(3, jobs.size(), "nothing removed");
    }

    // ---- purge -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETED", "FAILED", "CANCELLED"})
    void purgingATerminalJobRemovesItAndItsFiles(JobStatus status) throws Exception {
        Job job = stored(TENANT_A, status, "old");
        List<String> files = filesOf(job);
        jobs.commitChunk(TENANT_A, job.id(), new ChunkResult(0, 1, BucketLayout.part(job.id(), 0, "a1"),
                new Counters(1, 0, 0), ChunkStats.NONE), clock.instant());
        Job other = stored(TENANT_A, JobStatus.COMPLETED, "keep");
        List<String> otherFiles = filesOf(other);
        Job theirs = stored(TENANT_B, JobStatus.COMPLETED, "theirs");
        List<String> theirFiles = filesOf(theirs);

        ApiResponse response = call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true"), TENANT_A);

        assertEquals(204, response.status(), response.body());
        assertEquals("", response.body());
        assertTrue(jobs.find(TENANT_A, job.id()).isEmpty());
        assertEquals(0, jobs.commitCount(job.id()));
        for (String key : files) {
            assertNull(blobs.get(key), key + " removed");
        }
        assertTrue(blobs.keys("work/" + job.id()).isEmpty());
        assertTrue(blobs.keys("results/" + TENANT_A + "/" + job.id()).isEmpty());
        for (String key : otherFiles) {
            assertNotNull(blobs.get(key), key + " kept");
        }
        for (String key : theirFiles) {
            assertNotNull(blobs.get(key), key + " kept");
        }
        assertTrue(jobs.find(TENANT_A, other.id()).isPresent());
        assertTrue(jobs.find(TENANT_B, theirs.id()).isPresent());
        assertError(get(job.id(), TENANT_A), 404, "not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"QUEUED", "RUNNING", "CANCELLING"})
    void purgingAnActiveJobIsA409AndRemovesNothing(JobStatus status) throws Exception {
        Job job = stored(TENANT_A, status, "live");
        List<String> files = filesOf(job);

        JsonNode error = assertError(call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true"), TENANT_A), 409, "job_active");

        assertTrue(error.path("field").isMissingNode());
        assertEquals(job, jobs.find(TENANT_A, job.id()).orElseThrow());
        for (String key : files) {
            assertNotNull(blobs.get(key), key + " kept");
        }
    }

    @Test
    void purgingAJobThatIsNotThereIs204() throws Exception {
        Job theirs = stored(TENANT_B, JobStatus.COMPLETED, "theirs");
        List<String> theirFiles = filesOf(theirs);

        assertEquals(204, call("DELETE /v1/jobs/{id}", "job_01JD3F2D1A77B0E1XYZ0000000", q("purge", "true"), TENANT_A).status());
        assertEquals(204, call("DELETE /v1/jobs/{id}", "not-an-id", q("purge", "true"), TENANT_A).status());
        ApiResponse other = call("DELETE /v1/jobs/{id}", theirs.id(), q("purge", "true"), TENANT_A);

        assertEquals(204, other.status(), "another tenant's job answers as a missing one");
        assertTrue(jobs.find(TENANT_B, theirs.id()).isPresent(), "and stays");
        for (String key : theirFiles) {
            assertNotNull(blobs.get(key), key + " kept");
        }
    }

    @Test
    void purgingTwiceIs204Twice() throws Exception {
        Job job = stored(TENANT_A, JobStatus.COMPLETED, "old");
        assertEquals(204, call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true"), TENANT_A).status());
        assertEquals(204, call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true"), TENANT_A).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "TRUE", "1", "", "yes"})
    void aPurgeThatIsNotTrueOrFalseIsA400(String purge) throws Exception {
        Job job = stored(TENANT_A, JobStatus.COMPLETED, "old");
        assertInvalid(call("DELETE /v1/jobs/{id}", job.id(), q("purge", purge), TENANT_A), "purge");
        assertTrue(jobs.find(TENANT_A, job.id()).isPresent());
    }

    @Test
    void deleteRefusesOtherQueryParameters() throws Exception {
        Job job = stored(TENANT_A, JobStatus.COMPLETED, "old");
        assertInvalid(call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true", "force", "1"), TENANT_A), "force");
        assertInvalid(call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true", "purge", "true"), TENANT_A), "purge");
        assertTrue(jobs.find(TENANT_A, job.id()).isPresent());
    }

    // ---- bulk remove -----------------------------------------------------------------------------------

    @Test
    void bulkRemoveNeedsAStatus() throws Exception {
        stored(TENANT_A, JobStatus.COMPLETED, "c");
        assertInvalid(call("DELETE /v1/jobs", null, q(), TENANT_A), "status");
        assertEquals(1, jobs.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"running", "active", "queued", "cancelling", "all", "terminal,running", "completed,queued",
            "active,terminal", "bogus", ""})
    void bulkRemoveOfAnythingButTerminalStatesIsA400(String status) throws Exception {
        oneOfEach();
        int before = jobs.size();
        assertInvalid(call("DELETE /v1/jobs", null, q("status", status), TENANT_A), "status");
        assertEquals(before, jobs.size());
    }

    @Test
    void bulkRemoveOfTerminalJobsLeavesActiveOnesAndOtherTenants() throws Exception {
        Map<JobStatus, String> ids = oneOfEach();
        Job theirs = stored(TENANT_B, JobStatus.COMPLETED, "theirs");
        Map<JobStatus, List<String>> files = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            files.put(status, filesOf(jobs.find(TENANT_A, ids.get(status)).orElseThrow()));
        }

        ApiResponse response = call("DELETE /v1/jobs", null, q("status", "terminal"), TENANT_A);

        assertEquals(200, response.status(), response.body());
        assertEquals(Json.parse("{\"deleted\": 3}"), json(response));
        for (JobStatus status : JobStatus.values()) {
            assertEquals(!status.terminal(), jobs.find(TENANT_A, ids.get(status)).isPresent(), status.wire());
            for (String key : files.get(status)) {
                assertEquals(!status.terminal(), blobs.get(key) != null, key);
            }
        }
        assertTrue(jobs.find(TENANT_B, theirs.id()).isPresent());
        assertEquals(Json.parse("{\"deleted\": 0}"), json(call("DELETE /v1/jobs", null, q("status", "terminal"), TENANT_A)));
    }

    @Test
    void bulkRemoveTakesACommaListOrRepeatsOfTerminalStates() throws Exception {
        Map<JobStatus, String> ids = oneOfEach();

        assertEquals(Json.parse("{\"deleted\": 2}"),
                json(call("DELETE /v1/jobs", null, q("status", "completed", "status", "failed"), TENANT_A)));
        assertTrue(jobs.find(TENANT_A, ids.get(JobStatus.CANCELLED)).isPresent());
        assertTrue(jobs.find(TENANT_A, ids.get(JobStatus.COMPLETED)).isEmpty());
        assertTrue(jobs.find(TENANT_A, ids.get(JobStatus.FAILED)).isEmpty());

        assertEquals(Json.parse("{\"deleted\": 1}"), json(call("DELETE /v1/jobs", null, q("status", "cancelled,completed"), TENANT_A)));
        assertEquals(3, jobs.all().stream().filter(job -> job.tenant().equals(TENANT_A)).count());
    }

    @Test
    void bulkRemoveGoesThroughEveryPage() throws Exception {
        for (int i = 0; i < 250; i++) {
            stored(TENANT_A, i % 2 == 0 ? JobStatus.COMPLETED : JobStatus.FAILED, "j" + i);
        }
        stored(TENANT_A, JobStatus.RUNNING, "live");

        ApiResponse response = call("DELETE /v1/jobs", null, q("status", "terminal"), TENANT_A);

        assertEquals(Json.parse("{\"deleted\": 250}"), json(response));
        assertEquals(1, jobs.size());
    }

    // ---- retry -----------------------------------------------------------------------------------------

    private static final List<String> RETRY_ENTRIES = List.of(
            "\"https://example.com/1\"",
            "{\"url\": \"https://example.com/2\", \"meta\": {\"sku\": \"B-2\"}, \"retries\": 0, \"headers\": {\"X-A\": \"1\"}}",
            "\"not a url\"",
            "{\"url\": \"https://example.com/4\", \"meta\": {\"n\": 4}}",
            "\"https://example.com/5\"",
            "{\"url\": \"https://example.com/6\", \"timeout_ms\": 5000}",
            "\"https://example.com/7\"");

    /** A running job already planned into chunk files of {@code chunkSize} entries, numbered from line 1. */
    private Job planned(String tenant, JobSettings settings, List<String> entries, int chunkSize) throws Exception {
        String id = testIds.next("job_");
        int chunks = (entries.size() + chunkSize - 1) / chunkSize;
        Job job = JobBuilder.from(Job.accepted(id, tenant, "to-retry", clock.instant(), JobInput.inline(BucketLayout.input(id)),
                        settings, null))
                .status(JobStatus.RUNNING).startedAt(clock.instant()).urlsTotal((long) entries.size()).chunksTotal(chunks)
                .phases(PhaseState.DONE, PhaseState.RUNNING, PhaseState.PENDING).build();
        jobs.put(job);
        for (int c = 0; c < chunks; c++) {
            StringBuilder text = new StringBuilder();
            for (int i = c * chunkSize; i < Math.min(entries.size(), (c + 1) * chunkSize); i++) {
                text.append(new ChunkEntry(i + 1, Json.parse(entries.get(i))).toLine()).append('\n');
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
    private Job finish(Job job, Set<Long> erroredLines, JobStatus terminal) throws Exception {
        return finish(job, erroredLines, Set.of(), terminal);
    }

    /** As above, the rows at {@code skippedLines} skipped (cancelled) rather than fetched. */
    private Job finish(Job job, Set<Long> erroredLines, Set<Long> skippedLines, JobStatus terminal) throws Exception {
        Instant at = clock.instant();
        for (int c = job.chunksTotal() - 1; c >= 0; c--) {
            List<ResultRow> rows = new ArrayList<>();
            StringBuilder part = new StringBuilder();
            StringBuilder losing = new StringBuilder();
            Counters counters = Counters.ZERO;
            for (String line : blobs.text(BucketLayout.chunk(job.id(), c)).split("\n")) {
                ChunkEntry entry = ChunkEntry.fromLine(line);
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
        ResultPart result = new ResultPart(dev.trawl.core.output.ResultWriter.partKey(job.tenant(), job.id(), 1, dev.trawl.core.job.OutputSpec.DEFAULT), "https://blobs.test/r", at.plusSeconds(60),
                1, job.urlsTotal(), "00");
        assertTrue(jobs.finish(job.tenant(), job.id(), job.status(), terminal, null, List.of(result), at));
        return jobs.find(job.tenant(), job.id()).orElseThrow();
    }

    private ApiResponse retry(String id, String key, String tenant) {
        return withKey("POST /v1/jobs/{id}/retry", Map.of("id", id), null, key, tenant);
    }

    private List<JsonNode> inputOf(String jobId) throws Exception {
        String text = blobs.text(BucketLayout.input(jobId));
        assertNotNull(text, "input of " + jobId);
        assertTrue(text.endsWith("\n"));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            lines.add(Json.parse(line));
        }
        return lines;
    }

    private static List<JsonNode> entries(List<String> all, int... lines) throws Exception {
        List<JsonNode> picked = new ArrayList<>();
        for (int line : lines) {
            picked.add(Json.parse(all.get(line - 1)));
        }
        return picked;
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETED", "FAILED", "CANCELLED"})
    void retryMakesAJobOfExactlyTheErroredEntriesInOrder(JobStatus terminal) throws Exception {
        JobSettings settings = TestJobs.settings().concurrency(40).maxUrls(100).regexFilter("example|not")
                .maxLifetimeSeconds(600).build();
        Job original = finish(planned(TENANT_A, settings, RETRY_ENTRIES, 2), Set.of(2L, 3L, 4L, 6L), Set.of(5L, 7L), terminal);

        ApiResponse response = retry(original.id(), null, TENANT_A);

        assertEquals(202, response.status(), response.body());
        JsonNode body = json(response);
        String newId = body.get("id").textValue();
        assertNotEquals(original.id(), newId);
        assertEquals("/v1/jobs/" + newId, response.headers().get("location"));
        assertEquals(original.id(), body.get("retry_of").textValue());
        assertEquals("queued", body.get("status").textValue());
        assertEquals(40, body.get("concurrency").intValue());

        Job retry = jobs.find(TENANT_A, newId).orElseThrow();
        assertEquals(original.id(), retry.retryOf());
        assertEquals(original.settings(), retry.settings(), "the same settings");
        assertEquals(original.name(), retry.name());
        assertEquals(JobStatus.QUEUED, retry.status());
        assertEquals(BucketLayout.input(newId), retry.input().key());
        assertEquals(entries(RETRY_ENTRIES, 2, 3, 4, 6), inputOf(newId), "errored entries, overrides and meta, in order");
        assertEquals(List.of(new JobRef(TENANT_A, newId)), queue.planRequests);
        assertEquals(original, jobs.find(TENANT_A, original.id()).orElseThrow(), "the original is unchanged");
    }

    @Test
    void aRetryOfARetryGoesBackOneStep() throws Exception {
        Job original = finish(planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 3), Set.of(1L, 3L, 5L, 7L), JobStatus.COMPLETED);
        String firstRetry = json(retry(original.id(), null, TENANT_A)).get("id").textValue();
        assertEquals(entries(RETRY_ENTRIES, 1, 3, 5, 7), inputOf(firstRetry));
        // plan the retry as the planner does, and let its lines 3 and 4 (example.com/5 and /7) fail again
        new PlanJob(jobs, jobs, blobs, queue, clock, 3).plan(new JobRef(TENANT_A, firstRetry));
        Job planned = jobs.find(TENANT_A, firstRetry).orElseThrow();
        assertEquals(4L, planned.urlsTotal());
        assertEquals(2, planned.chunksTotal());
        finish(planned, Set.of(3L, 4L), JobStatus.COMPLETED);

        ApiResponse response = retry(firstRetry, null, TENANT_A);

        assertEquals(202, response.status(), response.body());
        String secondRetry = json(response).get("id").textValue();
        assertEquals(firstRetry, json(response).get("retry_of").textValue());
        assertEquals(firstRetry, jobs.find(TENANT_A, secondRetry).orElseThrow().retryOf());
        assertEquals(entries(RETRY_ENTRIES, 5, 7), inputOf(secondRetry));
    }

    @ParameterizedTest
    @ValueSource(strings = {"QUEUED", "RUNNING", "CANCELLING"})
    void retryingAnActiveJobIsA409(JobStatus status) throws Exception {
        Job job = stored(TENANT_A, status, "live");
        int blobsBefore = blobs.all().size();

        assertError(retry(job.id(), null, TENANT_A), 409, "job_active");

        assertEquals(1, jobs.size());
        assertEquals(blobsBefore, blobs.all().size());
        assertTrue(queue.planRequests.isEmpty());
    }

    @Test
    void retryingAJobWithoutErrorsIsA422() throws Exception {
        Job original = finish(planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(), Set.of(3L, 4L, 5L),
                JobStatus.CANCELLED);
        int blobsBefore = blobs.all().size();

        assertError(retry(original.id(), null, TENANT_A), 422, "nothing_to_retry");

        assertEquals(1, jobs.size());
        assertEquals(blobsBefore, blobs.all().size(), "no input left behind");
        assertTrue(queue.planRequests.isEmpty());
    }

    @Test
    void retryingAJobWhoseWorkFilesExpiredIsA422() throws Exception {
        Job original = finish(planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(1L), JobStatus.COMPLETED);
        blobs.deletePrefix(BucketLayout.workPrefix(original.id()));

        assertError(retry(original.id(), null, TENANT_A), 422, "retry_unavailable");

        assertEquals(1, jobs.size());
        assertTrue(queue.planRequests.isEmpty());
    }

    @Test
    void retryingAnUnknownOrAnotherTenantsJobIsNotFound() throws Exception {
        Job theirs = finish(planned(TENANT_B, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(1L), JobStatus.COMPLETED);

        assertError(retry(theirs.id(), null, TENANT_A), 404, "not_found");
        assertError(retry("job_01JD3F2D1A77B0E1XYZ0000000", null, TENANT_A), 404, "not_found");
        assertError(retry("nope", null, TENANT_A), 404, "not_found");
        assertEquals(1, jobs.size());
    }

    // ---- Idempotency-Key -------------------------------------------------------------------------------

    private ApiResponse postWithKey(String body, String key, String tenant) {
        return withKey("POST /v1/jobs", Map.of(), body, key, tenant);
    }

    @Test
    void theSameKeyAndBodyAnswerTheSameJob() throws Exception {
        ApiResponse first = postWithKey(BODY, "key-1", TENANT_A);
        ApiResponse second = postWithKey(BODY, "key-1", TENANT_A);

        assertEquals(202, first.status(), first.body());
        assertEquals(202, second.status(), second.body());
        String id = json(first).get("id").textValue();
        assertEquals(id, json(second).get("id").textValue());
        assertEquals(first.headers().get("location"), second.headers().get("location"));
        assertEquals(1, jobs.size());
        // still queued: its plan is asked for again, in case the first request failed before asking (planning twice
        // changes nothing)
        assertEquals(List.of(new JobRef(TENANT_A, id), new JobRef(TENANT_A, id)), queue.planRequests);
        assertEquals(Set.of(BucketLayout.input(id)), blobs.keys(""), "the second attempt's input is removed");
    }

    @Test
    void theSameKeyAnswersTheJobAsItIsNow() throws Exception {
        String id = json(postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue();
        jobs.markPlanned(TENANT_A, id, 3, 0, 1, clock.instant());

        ApiResponse again = postWithKey(BODY, "key-1", TENANT_A);

        assertEquals(202, again.status());
        assertEquals("running", statusOf(again));
        assertEquals(1, queue.planRequests.size(), "a planned job is not planned again");
    }

    @Test
    void theSameKeyWithAnotherBodyIsA409() throws Exception {
        String id = json(postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue();

        JsonNode error = assertError(postWithKey(BODY.replace("nightly", "weekly"), "key-1", TENANT_A), 409,
                "idempotency_conflict");

        assertTrue(error.path("field").isMissingNode());
        assertEquals(1, jobs.size());
        assertEquals(1, queue.planRequests.size());
        assertEquals(Set.of(BucketLayout.input(id)), blobs.keys(""));
    }

    @Test
    void keysAreTheTenantsOwn() throws Exception {
        String a = json(postWithKey(BODY, "shared", TENANT_A)).get("id").textValue();
        ApiResponse b = postWithKey(BODY.replace("nightly", "theirs"), "shared", TENANT_B);

        assertEquals(202, b.status(), b.body());
        assertNotEquals(a, json(b).get("id").textValue());
        assertEquals(2, jobs.size());
    }

    @Test
    void anIdempotencyKeyMayHave1To255Characters() throws Exception {
        assertInvalid(postWithKey(BODY, "k".repeat(256), TENANT_A), "Idempotency-Key");
        assertInvalid(postWithKey(BODY, "", TENANT_A), "Idempotency-Key");
        assertNothingCreated();
        assertEquals(202, postWithKey(BODY, "k".repeat(255), TENANT_A).status());
        assertEquals(202, postWithKey(BODY, "k", TENANT_A).status());
    }

    @Test
    void aKeyIsRememberedFor24Hours() throws Exception {
        String id = json(postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue();

        clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertEquals(id, json(postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue());
        assertError(postWithKey(BODY.replace("nightly", "weekly"), "key-1", TENANT_A), 409, "idempotency_conflict");
        assertEquals(1, jobs.size());
    }

    @Test
    void aKeyOlderThan24HoursIsForgotten() throws Exception {
        String first = json(postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue();

        clock.advance(Duration.ofHours(24).plusSeconds(1));
        ApiResponse second = postWithKey(BODY, "key-1", TENANT_A);

        assertEquals(202, second.status(), second.body());
        String secondId = json(second).get("id").textValue();
        assertNotEquals(first, secondId);
        assertEquals(2, queue.planRequests.size());
        // and the key now stands for the new job
        assertEquals(secondId, json(postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue());

        clock.advance(Duration.ofHours(25));
        ApiResponse other = postWithKey(BODY.replace("nightly", "weekly"), "key-1", TENANT_A);
        assertEquals(202, other.status(), "an expired key takes another body too");
        assertEquals(3, jobs.size());
    }

    @Test
    void aKeyWhoseJobWasRemovedMakesANewJob() throws Exception {
        String first = json(postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue();
        assertTrue(jobs.cancel(TENANT_A, first, clock.instant()));
        assertTrue(jobs.finish(TENANT_A, first, JobStatus.CANCELLING, JobStatus.CANCELLED, null, List.of(), clock.instant()));
        assertEquals(204, call("DELETE /v1/jobs/{id}", first, q("purge", "true"), TENANT_A).status());

        ApiResponse again = postWithKey(BODY, "key-1", TENANT_A);

        assertEquals(202, again.status(), again.body());
        assertNotEquals(first, json(again).get("id").textValue());
        assertEquals(1, jobs.size());
        assertEquals(1, jobs.idempotencyKeyCount());
    }

    @Test
    void retryHonoursTheIdempotencyKey() throws Exception {
        Job original = finish(planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(1L, 2L), JobStatus.FAILED);
        Job another = finish(planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(3L), JobStatus.FAILED);

        String first = json(retry(original.id(), "r-1", TENANT_A)).get("id").textValue();
        ApiResponse again = retry(original.id(), "r-1", TENANT_A);

        assertEquals(202, again.status(), again.body());
        assertEquals(first, json(again).get("id").textValue());
        assertEquals(List.of(first, first), queue.planRequests.stream().map(JobRef::jobId).toList(),
                "one job; still queued, so its plan is asked for again");
        assertError(retry(another.id(), "r-1", TENANT_A), 409, "idempotency_conflict");
        assertEquals(3, jobs.size());
    }

    // ---- metrics ---------------------------------------------------------------------------------------

    private static ResultRow row(long line, RowStatus status, Integer http, long bytes, long elapsedMs, int attempts, String error) {
        return new ResultRow(line, "https://example.com/" + line, new FetchOutcome(status, http, null, null, bytes, elapsedMs,
                attempts, NOW, error, error == null ? null : "because"), null);
    }

    @Test
    void metricsSumTheCommittedChunks() throws Exception {
        Job job = JobBuilder.from(stored(TENANT_A, JobStatus.RUNNING, "m")).urlsTotal(9L).chunksTotal(2).build();
        jobs.put(job);
        List<ResultRow> chunk0 = List.of(
                row(1, RowStatus.OK, 200, 1000, 40, 1, null),
                row(2, RowStatus.OK, 204, 0, 50, 2, null),
                row(3, RowStatus.ERROR, 404, 10, 60, 1, "http_error"),
                row(4, RowStatus.ERROR, null, 0, 30_000, 3, "timeout"),
                row(5, RowStatus.ERROR, null, 0, 0, 0, "invalid_url"));
        List<ResultRow> chunk1 = List.of(
                row(6, RowStatus.ERROR, 503, 20, 70, 3, "http_error"),
                row(7, RowStatus.OK, 200, 500, 45, 1, null),
                row(8, RowStatus.SKIPPED, null, 0, 0, 0, "cancelled"),
                row(9, RowStatus.ERROR, 301, 0, 80, 1, "too_many_redirects"));
        int c = 0;
        for (List<ResultRow> rows : List.of(chunk0, chunk1)) {
            Counters counters = Counters.ZERO;
            for (ResultRow r : rows) {
                counters = counters.with(r.status());
            }
            jobs.commitChunk(TENANT_A, job.id(), new ChunkResult(c, rows.size(), "p" + c, counters, ChunkStats.of(rows)), NOW);
            c++;
        }
        jobs.recordMaxFetchMs(TENANT_A, job.id(), 30_000);

        ApiResponse response = call("GET /v1/jobs/{id}/metrics", job.id(), q(), TENANT_A);

        assertEquals(200, response.status(), response.body());
        JsonNode body = json(response);
        assertEquals(Set.of("totals", "http_status", "errors", "fetch_ms"), Set.copyOf(iterable(body.fieldNames())));
        assertEquals(Json.parse("""
                {"urls_total": 9, "urls_done": 9, "urls_ok": 3, "urls_errored": 5, "urls_skipped": 1, "urls_filtered": 0,
                 "bytes_fetched": 1530, "attempts": 12}"""), body.get("totals"));
        assertEquals(Json.parse("{\"2xx\": 3, \"3xx\": 1, \"4xx\": 1, \"5xx\": 1}"), body.get("http_status"));
        assertEquals(Json.parse("{\"http_error\": 2, \"timeout\": 1, \"invalid_url\": 1, \"too_many_redirects\": 1}"),
                body.get("errors"));
        LatencyHistogram expected = new LatencyHistogram();
        for (long ms : List.of(40L, 50L, 60L, 30_000L, 70L, 45L, 80L)) {
            expected.record(ms);
        }
        assertEquals(expected.quantile(0.5), body.at("/fetch_ms/p50").longValue());
        assertEquals(expected.quantile(0.95), body.at("/fetch_ms/p95").longValue());
        assertTrue(Math.abs(body.at("/fetch_ms/p50").longValue() - 60) <= 2, body.toString());
        assertEquals(30_000, body.at("/fetch_ms/max").longValue());
    }

    @Test
    void metricsOfAJobWithNothingFetchedYet() throws Exception {
        String id = createdId(TENANT_A);

        JsonNode body = json(call("GET /v1/jobs/{id}/metrics", id, q(), TENANT_A));

        assertTrue(body.at("/totals/urls_total").isNull());
        assertEquals(0, body.at("/totals/urls_done").longValue());
        assertEquals(0, body.at("/totals/bytes_fetched").longValue());
        assertEquals(Json.parse("{\"2xx\": 0, \"3xx\": 0, \"4xx\": 0, \"5xx\": 0}"), body.get("http_status"));
        assertEquals(Json.object(), body.get("errors"));
        for (String field : List.of("p50", "p95", "max")) {
            assertTrue(body.get("fetch_ms").get(field).isNull(), field);
        }
    }

    @Test
    void metricsOfAnUnknownOrAnotherTenantsJobAreNotFound() throws Exception {
        Job theirs = stored(TENANT_B, JobStatus.RUNNING, "theirs");
        assertError(call("GET /v1/jobs/{id}/metrics", theirs.id(), q(), TENANT_A), 404, "not_found");
        assertError(call("GET /v1/jobs/{id}/metrics", "job_01JD3F2D1A77B0E1XYZ0000000", q(), TENANT_A), 404, "not_found");
        assertInvalid(call("GET /v1/jobs/{id}/metrics", theirs.id(), q("window", "1h"), TENANT_B), "window");
    }

    // ---- results ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"QUEUED", "RUNNING", "CANCELLING"})
    void theResultOfAnActiveJobIsA409(JobStatus status) throws Exception {
        Job job = stored(TENANT_A, status, "live");
        assertError(call("GET /v1/jobs/{id}/results", job.id(), q(), TENANT_A), 409, "job_active");
    }

    @Test
    void aTerminalJobWithoutAResultIsA404() throws Exception {
        Job none = stored(TENANT_A, JobStatus.FAILED, "none");
        Job empty = JobBuilder.from(stored(TENANT_A, JobStatus.FAILED, "empty")).resultParts(List.of()).build();
        jobs.put(empty);
        assertError(call("GET /v1/jobs/{id}/results", none.id(), q(), TENANT_A), 404, "not_found");
        assertError(call("GET /v1/jobs/{id}/results", empty.id(), q(), TENANT_A), 404, "not_found");
        assertError(call("GET /v1/jobs/{id}/results", "job_01JD3F2D1A77B0E1XYZ0000000", q(), TENANT_A), 404, "not_found");
    }

    @Test
    void aJobsLinksAreSignedAnewOnEveryReadWithinItsTtlAndAtMostSevenDays() throws Exception {
        JobSettings month = new JobSettings(16, dev.trawl.core.job.OutputSpec.DEFAULT, JobSettings.DEFAULTS.defaults(),
                30L * 86_400, false, null, null, 0, 86_400);
        Job job = finish(planned(TENANT_A, month, RETRY_ENTRIES, 4), Set.of(), JobStatus.COMPLETED);
        clock.advance(Duration.ofDays(3));
        JsonNode read = json(call("GET /v1/jobs/{id}", job.id(), q(), TENANT_A));
        assertTrue(read.get("download_url").asText().endsWith("?ttl=604800"), read.get("download_url").asText());
        assertEquals(clock.instant().plus(Duration.ofDays(7)).toString(), read.get("download_url_expires_at").asText());

        clock.advance(Duration.ofDays(26));
        read = json(call("GET /v1/jobs/{id}", job.id(), q(), TENANT_A));
        assertTrue(read.get("download_url").asText().endsWith("?ttl=86400"), "one day of the thirty left: "
                + read.get("download_url").asText());
        String listed = json(call("GET /v1/jobs", null, q(), TENANT_A)).get("jobs").get(0).get("download_url").asText();
        assertTrue(listed.endsWith("?ttl=86400"), listed);

        clock.advance(Duration.ofDays(2));
        read = json(call("GET /v1/jobs/{id}", job.id(), q(), TENANT_A));
        assertTrue(Instant.parse(read.get("download_url_expires_at").asText()).isBefore(clock.instant()),
                "past the job's ttl the link is not renewed");
    }

    @Test
    void theResultRedirectsToAFreshShortLink() throws Exception {
        Job job = finish(planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(), JobStatus.COMPLETED);

        ApiResponse response = call("GET /v1/jobs/{id}/results", job.id(), q(), TENANT_A);

        assertEquals(302, response.status(), response.body());
        assertEquals("https://blobs.test/results/" + TENANT_A + "/" + job.id() + "/result-00001.ndjson?ttl=900",
                response.headers().get("location"));
        assertEquals("", response.body());
        assertError(call("GET /v1/jobs/{id}/results", job.id(), q(), TENANT_B), 404, "not_found");
    }

    @Test
    void theResultLinkNeverOutlivesDownloadUrlTtl() throws Exception {
        JobSettings shortLived = TestJobs.settings().downloadUrlTtlSeconds(60).build();
        Job job = finish(planned(TENANT_A, shortLived, RETRY_ENTRIES, 4), Set.of(), JobStatus.CANCELLED);

        ApiResponse response = call("GET /v1/jobs/{id}/results", job.id(), q(), TENANT_A);

        assertEquals(302, response.status());
        assertTrue(response.headers().get("location").endsWith("?ttl=60"), response.headers().get("location"));
    }
}
