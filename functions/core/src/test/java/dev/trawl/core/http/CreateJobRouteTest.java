package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.trawl.core.http.ApiFixture.BODY;
import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.TENANT_B;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.assertInvalid;
import static dev.trawl.core.http.ApiFixture.json;
import static dev.trawl.core.http.ApiFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/jobs}: a valid body makes a queued job under the caller's tenant, writes its input as given and asks
 * for its plan; the answer alone shows the webhook secret; a body refused (invalid, too big, or with a query) creates
 * nothing. The body's rules one by one are {@link CreateJobRequestTest}'s; Idempotency-Keys are {@link IdempotencyTest}'s.
 */
class CreateJobRouteTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    @Test
    void postCreatesAQueuedJob() throws Exception {
        ApiResponse response = api.post(BODY, TENANT_A);

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
        Job stored = api.jobs.find(TENANT_A, id).orElseThrow();
        assertEquals(JobStatus.QUEUED, stored.status());
        assertEquals(TENANT_A, stored.tenant());
        assertEquals(BucketLayout.input(id), stored.input().key());
        assertTrue(api.jobs.find(TENANT_B, id).isEmpty());

        // the input, one NDJSON line per entry, as given and in order
        InMemoryBlobStore.Blob input = api.blobs.get(BucketLayout.input(id));
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
        assertEquals(List.of(new JobRef(TENANT_A, id)), api.queue.planRequests);
        assertTrue(api.queue.chunks.isEmpty());
        assertTrue(api.queue.finalizeRequests.isEmpty());
    }

    @Test
    void twoJobsGetDistinctIdsThatSortByCreation() throws Exception {
        String first = api.createdId(TENANT_A);
        String second = api.createdId(TENANT_A);
        assertTrue(first.compareTo(second) < 0, first + " then " + second);
        assertEquals(2, api.jobs.size());
        assertEquals(2, api.queue.planRequests.size());
    }

    @Test
    void theSecretIsShownOnceInTheAnswerThatCreatesTheJob() throws Exception {
        ApiResponse created = api.post("{\"input\": {\"urls\": [\"https://example.com\"]}, \"webhook\": \"https://hooks.example.com/t\"}",
                TENANT_A);
        assertEquals(202, created.status(), created.body());
        String secret = json(created).get("webhook_secret").textValue();
        assertTrue(secret.startsWith("whsec_"), secret);
        String id = json(created).get("id").textValue();
        assertFalse(api.get(id, TENANT_A).body().contains(secret), "GET never shows it");
        assertFalse(api.post("{\"input\": {\"urls\": [\"https://example.com\"]}}", TENANT_A).body().contains("webhook_secret"));
        String stored = api.jobs.find(TENANT_A, id).orElseThrow().settings().webhook().secret();
        assertNotEquals(secret, stored, "the job is stored with its secret sealed");
        assertEquals(secret, api.secrets.open(stored, id));
    }

    @Test
    void anInvalidBodyIsA400AndCreatesNothing() throws Exception {
        assertInvalid(api.post("{\"input\": {\"urls\": [\"https://example.com\", 42]}}", TENANT_A), "input.urls[1]");
        assertInvalid(api.post("{\"input\": {\"urls\": [\"https://example.com\"]}, \"concurrency\": 0}", TENANT_A), "concurrency");
        assertInvalid(api.post("{\"input\": {\"urls\": [\"https://example.com\"]}, \"webhook\": \"ftp://x.example/\"}", TENANT_A),
                "webhook");
        assertError(api.post("{not json", TENANT_A), 400, "invalid_request");
        assertError(api.post(null, TENANT_A), 400, "invalid_request");
        api.assertNothingCreated();
    }

    @Test
    void anOversizedBodyIsA413() throws Exception {
        String body = "{\"name\": \"" + "x".repeat(CreateJobRequest.MAX_BODY_BYTES) + "\", \"input\": {\"urls\": [\"https://example.com\"]}}";
        assertError(api.post(body, TENANT_A), 413, "payload_too_large");
        api.assertNothingCreated();
    }

    @Test
    void postWithAQueryParameterIsA400() throws Exception {
        ApiResponse response = api.handle(request("POST /v1/jobs", Map.of(), Map.of("dry_run", List.of("true")), BODY, TENANT_A));
        assertInvalid(response, "dry_run");
        api.assertNothingCreated();
    }
}
