package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.JobRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.trawl.core.http.ApiFixture.BODY;
import static dev.trawl.core.http.ApiFixture.RETRY_ENTRIES;
import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.assertInvalid;
import static dev.trawl.core.http.ApiFixture.json;
import static dev.trawl.core.http.ApiFixture.q;
import static dev.trawl.core.http.ApiFixture.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Idempotency-Key on {@code POST /v1/jobs} and {@code POST /v1/jobs/{id}/retry}: the same key and request answer
 * the same job for 24 hours, another request under the key is a 409, and a key may have 1 to 255 characters.
 */
class IdempotencyTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    @Test
    void theSameKeyAndBodyAnswerTheSameJob() throws Exception {
        ApiResponse first = api.postWithKey(BODY, "key-1", TENANT_A);
        ApiResponse second = api.postWithKey(BODY, "key-1", TENANT_A);

        assertEquals(202, first.status(), first.body());
        assertEquals(202, second.status(), second.body());
        String id = json(first).get("id").textValue();
        assertEquals(id, json(second).get("id").textValue());
        assertEquals(first.headers().get("location"), second.headers().get("location"));
        assertEquals(1, api.jobs.size());
        // still queued: its plan is asked for again, in case the first request failed before asking (planning twice
        // changes nothing)
        assertEquals(List.of(new JobRef(TENANT_A, id), new JobRef(TENANT_A, id)), api.queue.planRequests);
        assertEquals(Set.of(BucketLayout.input(id)), api.blobs.keys(""), "the second attempt's input is removed");
    }

    @Test
    void theSameKeyShowsTheSameWebhookSecretAgain() throws Exception {
        String body = "{\"input\": {\"urls\": [\"https://example.com\"]}, \"webhook\": \"https://hooks.example.com/t\"}";
        JsonNode first = json(api.postWithKey(body, "key-w", TENANT_A));
        JsonNode again = json(api.postWithKey(body, "key-w", TENANT_A));

        assertEquals(first.get("id"), again.get("id"));
        assertTrue(first.get("webhook_secret").textValue().startsWith("whsec_"), first.toString());
        assertEquals(first.get("webhook_secret"), again.get("webhook_secret"),
                "a client that lost the first answer gets the secret it needs to check the events");
    }

    @Test
    void theSameKeyAnswersTheJobAsItIsNow() throws Exception {
        String id = json(api.postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue();
        api.jobs.markPlanned(TENANT_A, id, 3, 0, 1, api.clock.instant());

        ApiResponse again = api.postWithKey(BODY, "key-1", TENANT_A);

        assertEquals(202, again.status());
        assertEquals("running", statusOf(again));
        assertEquals(1, api.queue.planRequests.size(), "a planned job is not planned again");
    }

    @Test
    void theSameKeyWithAnotherBodyIsA409() throws Exception {
        String id = json(api.postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue();

        JsonNode error = assertError(api.postWithKey(BODY.replace("nightly", "weekly"), "key-1", TENANT_A), 409,
                "idempotency_conflict");

        assertTrue(error.path("field").isMissingNode());
        assertEquals(1, api.jobs.size());
        assertEquals(1, api.queue.planRequests.size());
        assertEquals(Set.of(BucketLayout.input(id)), api.blobs.keys(""));
    }

    @Test
    void anIdempotencyKeyMayHave1To255Characters() throws Exception {
        assertInvalid(api.postWithKey(BODY, "k".repeat(256), TENANT_A), "Idempotency-Key");
        assertInvalid(api.postWithKey(BODY, "", TENANT_A), "Idempotency-Key");
        api.assertNothingCreated();
        assertEquals(202, api.postWithKey(BODY, "k".repeat(255), TENANT_A).status());
        assertEquals(202, api.postWithKey(BODY, "k", TENANT_A).status());
    }

    @Test
    void aKeyIsRememberedFor24Hours() throws Exception {
        String id = json(api.postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue();

        api.clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertEquals(id, json(api.postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue());
        assertError(api.postWithKey(BODY.replace("nightly", "weekly"), "key-1", TENANT_A), 409, "idempotency_conflict");
        assertEquals(1, api.jobs.size());
    }

    @Test
    void aKeyOlderThan24HoursIsForgotten() throws Exception {
        String first = json(api.postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue();

        api.clock.advance(Duration.ofHours(24).plusSeconds(1));
        ApiResponse second = api.postWithKey(BODY, "key-1", TENANT_A);

        assertEquals(202, second.status(), second.body());
        String secondId = json(second).get("id").textValue();
        assertNotEquals(first, secondId);
        assertEquals(2, api.queue.planRequests.size());
        // and the key now stands for the new job
        assertEquals(secondId, json(api.postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue());

        api.clock.advance(Duration.ofHours(25));
        ApiResponse other = api.postWithKey(BODY.replace("nightly", "weekly"), "key-1", TENANT_A);
        assertEquals(202, other.status(), "an expired key takes another body too");
        assertEquals(3, api.jobs.size());
    }

    @Test
    void aKeyWhoseJobWasRemovedMakesANewJob() throws Exception {
        String first = json(api.postWithKey(BODY, "key-1", TENANT_A)).get("id").textValue();
        assertTrue(api.jobs.cancel(TENANT_A, first, api.clock.instant()));
        assertTrue(api.jobs.finish(TENANT_A, first, JobStatus.CANCELLING, JobStatus.CANCELLED, null, List.of(), api.clock.instant()));
        assertEquals(204, api.call("DELETE /v1/jobs/{id}", first, q("purge", "true"), TENANT_A).status());

        ApiResponse again = api.postWithKey(BODY, "key-1", TENANT_A);

        assertEquals(202, again.status(), again.body());
        assertNotEquals(first, json(again).get("id").textValue());
        assertEquals(1, api.jobs.size());
        assertEquals(1, api.jobs.idempotencyKeyCount());
    }

    @Test
    void retryHonoursTheIdempotencyKey() throws Exception {
        Job original = api.finish(api.planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(1L, 2L), JobStatus.FAILED);
        Job another = api.finish(api.planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(3L), JobStatus.FAILED);

        String first = json(api.retry(original.id(), "r-1", TENANT_A)).get("id").textValue();
        ApiResponse again = api.retry(original.id(), "r-1", TENANT_A);

        assertEquals(202, again.status(), again.body());
        assertEquals(first, json(again).get("id").textValue());
        assertEquals(List.of(first, first), api.queue.planRequests.stream().map(JobRef::jobId).toList(),
                "one job; still queued, so its plan is asked for again");
        assertError(api.retry(another.id(), "r-1", TENANT_A), 409, "idempotency_conflict");
        assertEquals(3, api.jobs.size());
    }
}
