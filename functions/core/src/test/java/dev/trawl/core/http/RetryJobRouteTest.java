package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.input.InputEntry;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.Webhook;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.plan.PlanJob;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.trawl.core.http.ApiFixture.RETRY_ENTRIES;
import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.TENANT_B;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/jobs/{id}/retry}: a finished job's errored entries, as given and in order, become a new queued job
 * with the same settings; an active job is a 409, and nothing to retry (no errors, or the work files gone) a 422.
 * Its Idempotency-Key is {@link IdempotencyTest}'s.
 */
class RetryJobRouteTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    /**
     * Plans the retry as the planner does (its input read from the original's committed parts) and answers the
     * entries of its chunk files in order, checking that they are numbered by the retry's own lines from 1.
     */
    private List<JsonNode> plannedEntries(String jobId) throws Exception {
        new PlanJob(api.jobs, api.jobs, null, api.jobs, api.blobs, api.queue, api.clock, 3, null)
                .plan(new JobRef(TENANT_A, jobId));
        Job planned = api.jobs.find(TENANT_A, jobId).orElseThrow();
        List<JsonNode> entries = new ArrayList<>();
        for (int chunk = 0; chunk < planned.chunksTotal(); chunk++) {
            for (String line : api.blobs.text(BucketLayout.chunk(jobId, chunk)).split("\n")) {
                InputEntry entry = InputEntry.fromLine(line);
                assertEquals(entries.size() + 1, entry.line(), "numbered by the retry's lines");
                entries.add(entry.entry());
            }
        }
        assertEquals((long) entries.size(), planned.urlsTotal());
        return entries;
    }

    /** The entries at these 1-based {@code lines} of {@code all}, parsed. */
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
        Job original = api.finish(api.planned(TENANT_A, settings, RETRY_ENTRIES, 2), Set.of(2L, 3L, 4L, 6L), Set.of(5L, 7L), terminal);

        ApiResponse response = api.retry(original.id(), null, TENANT_A);

        assertEquals(202, response.status(), response.body());
        JsonNode body = json(response);
        String newId = body.get("id").textValue();
        assertNotEquals(original.id(), newId);
        assertEquals("/v1/jobs/" + newId, response.headers().get("location"));
        assertEquals(original.id(), body.get("retry_of").textValue());
        assertEquals("queued", body.get("status").textValue());
        assertEquals(40, body.get("concurrency").intValue());

        Job retry = api.jobs.find(TENANT_A, newId).orElseThrow();
        assertEquals(original.id(), retry.retryOf());
        assertEquals(original.settings(), retry.settings(), "the same settings");
        assertEquals(original.name(), retry.name());
        assertEquals(JobStatus.QUEUED, retry.status());
        assertEquals(JobInput.retry(BucketLayout.workPrefix(original.id())), retry.input());
        assertEquals("retry", body.path("input").path("type").textValue());
        assertEquals(original.id(), body.path("input").path("job_id").textValue());
        assertEquals(List.of(new JobRef(TENANT_A, newId)), api.queue.planRequests);
        assertEquals(List.of(), api.blobs.opened, "the request reads no chunk file or part of the original");
        assertTrue(api.blobs.keys(BucketLayout.workPrefix(newId)).isEmpty(), "nor writes an input file");
        assertEquals(original, api.jobs.find(TENANT_A, original.id()).orElseThrow(), "the original is unchanged");

        assertEquals(entries(RETRY_ENTRIES, 2, 3, 4, 6), plannedEntries(newId), "errored entries, overrides and meta, in order");
    }

    @Test
    void aRetryCallsTheSameWebhookWithTheSameSecretSealedForItself() throws Exception {
        String secret = "whsec_theoriginalsecret000000000000";
        JobSettings plain = JobSettings.DEFAULTS.withWebhook(new Webhook("https://hooks.example.com/t", secret));
        Job planned = api.planned(TENANT_A, plain, RETRY_ENTRIES, 2);
        // stored as the API stores it: sealed for the original
        Job sealed = JobBuilder.from(planned).settings(plain.withWebhook(plain.webhook()
                .withSecret(api.secrets.seal(secret, planned.id())))).build();
        api.jobs.put(sealed);
        Job original = api.finish(sealed, Set.of(2L), JobStatus.COMPLETED);

        JsonNode body = json(api.retry(original.id(), null, TENANT_A));

        assertEquals(secret, body.get("webhook_secret").textValue(), "one secret verifies both jobs' events");
        String newId = body.get("id").textValue();
        Webhook stored = api.jobs.find(TENANT_A, newId).orElseThrow().settings().webhook();
        assertEquals("https://hooks.example.com/t", stored.url());
        assertNotEquals(original.settings().webhook().secret(), stored.secret());
        assertEquals(secret, api.secrets.open(stored.secret(), newId), "sealed for the retry");
    }

    @Test
    void aRetryOfARetryGoesBackOneStep() throws Exception {
        Job original = api.finish(api.planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 3), Set.of(1L, 3L, 5L, 7L),
                JobStatus.COMPLETED);
        String firstRetry = json(api.retry(original.id(), null, TENANT_A)).get("id").textValue();
        // planned as the planner does; its lines 3 and 4 (example.com/5 and /7) fail again
        assertEquals(entries(RETRY_ENTRIES, 1, 3, 5, 7), plannedEntries(firstRetry));
        Job planned = api.jobs.find(TENANT_A, firstRetry).orElseThrow();
        assertEquals(4L, planned.urlsTotal());
        assertEquals(2, planned.chunksTotal());
        api.finish(planned, Set.of(3L, 4L), JobStatus.COMPLETED);

        ApiResponse response = api.retry(firstRetry, null, TENANT_A);

        assertEquals(202, response.status(), response.body());
        String secondRetry = json(response).get("id").textValue();
        assertEquals(firstRetry, json(response).get("retry_of").textValue());
        assertEquals(firstRetry, api.jobs.find(TENANT_A, secondRetry).orElseThrow().retryOf());
        assertEquals(entries(RETRY_ENTRIES, 5, 7), plannedEntries(secondRetry));
    }

    @ParameterizedTest
    @ValueSource(strings = {"QUEUED", "RUNNING", "CANCELLING"})
    void retryingAnActiveJobIsA409(JobStatus status) throws Exception {
        Job job = api.stored(TENANT_A, status, "live");
        int blobsBefore = api.blobs.all().size();

        assertError(api.retry(job.id(), null, TENANT_A), 409, "job_active");

        assertEquals(1, api.jobs.size());
        assertEquals(blobsBefore, api.blobs.all().size());
        assertTrue(api.queue.planRequests.isEmpty());
    }

    @Test
    void retryingAJobWithoutErrorsIsA422() throws Exception {
        Job original = api.finish(api.planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(), Set.of(3L, 4L, 5L),
                JobStatus.CANCELLED);
        int blobsBefore = api.blobs.all().size();

        assertError(api.retry(original.id(), null, TENANT_A), 422, "nothing_to_retry");

        assertEquals(1, api.jobs.size());
        assertEquals(blobsBefore, api.blobs.all().size(), "no input left behind");
        assertTrue(api.queue.planRequests.isEmpty());
    }

    @Test
    void retryingAJobWhoseWorkFilesExpiredIsA422() throws Exception {
        Job original = api.finish(api.planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(1L), JobStatus.COMPLETED);
        // kept 14 days from their writing: taken up to 13 days after the original's creation, a day left for the plan
        api.clock.advance(Duration.ofDays(13).minusSeconds(1));
        assertEquals(202, api.retry(original.id(), null, TENANT_A).status());
        api.queue.planRequests.clear();
        api.clock.advance(Duration.ofSeconds(1));

        assertError(api.retry(original.id(), null, TENANT_A), 422, "retry_unavailable");
        assertEquals(List.of(), api.blobs.opened, "decided from the record");

        assertEquals(2, api.jobs.size(), "the original and the retry taken in time");
        assertTrue(api.queue.planRequests.isEmpty());
    }

    @Test
    void retryingAnUnknownOrAnotherTenantsJobIsNotFound() throws Exception {
        Job theirs = api.finish(api.planned(TENANT_B, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(1L), JobStatus.COMPLETED);

        assertError(api.retry(theirs.id(), null, TENANT_A), 404, "not_found");
        assertError(api.retry("job_01JD3F2D1A77B0E1XYZ0000000", null, TENANT_A), 404, "not_found");
        assertError(api.retry("nope", null, TENANT_A), 404, "not_found");
        assertEquals(1, api.jobs.size());
    }
}
