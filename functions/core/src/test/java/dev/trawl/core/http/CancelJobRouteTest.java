package dev.trawl.core.http;

import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.TENANT_B;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.assertInvalid;
import static dev.trawl.core.http.ApiFixture.json;
import static dev.trawl.core.http.ApiFixture.q;
import static dev.trawl.core.http.ApiFixture.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code POST /v1/jobs/{id}/cancel}, and {@code DELETE /v1/jobs/{id}} without {@code purge=true}: an active job
 * answers 202 cancelling, a finished one 200 unchanged, twice is as once, and an unknown id is a 404.
 */
class CancelJobRouteTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    @Test
    void cancellingAQueuedJobAnswers202Cancelling() throws Exception {
        String id = api.createdId(TENANT_A);

        ApiResponse response = api.call("POST /v1/jobs/{id}/cancel", id, q(), TENANT_A);

        assertEquals(202, response.status(), response.body());
        assertEquals("cancelling", statusOf(response));
        assertEquals(id, json(response).get("id").textValue());
        Job job = api.jobs.find(TENANT_A, id).orElseThrow();
        assertEquals(JobStatus.CANCELLING, job.status());
        assertEquals(StopReason.CANCELLED, job.stopReason());
        assertEquals(json(response), json(api.get(id, TENANT_A)), "the answer is the job as stored");
    }

    @Test
    void cancellingARunningJobAnswers202Cancelling() throws Exception {
        String id = api.stored(TENANT_A, JobStatus.RUNNING, "r").id();

        ApiResponse response = api.call("POST /v1/jobs/{id}/cancel", id, q(), TENANT_A);

        assertEquals(202, response.status(), response.body());
        assertEquals("cancelling", statusOf(response));
        assertEquals(JobStatus.CANCELLING, api.jobs.find(TENANT_A, id).orElseThrow().status());
    }

    @Test
    void cancellingTwiceIsHarmless() throws Exception {
        String id = api.stored(TENANT_A, JobStatus.RUNNING, "r").id();
        assertEquals(202, api.call("POST /v1/jobs/{id}/cancel", id, q(), TENANT_A).status());
        Job once = api.jobs.find(TENANT_A, id).orElseThrow();

        ApiResponse again = api.call("POST /v1/jobs/{id}/cancel", id, q(), TENANT_A);

        assertEquals(202, again.status(), "still cancelling, not yet terminal");
        assertEquals("cancelling", statusOf(again));
        assertEquals(once, api.jobs.find(TENANT_A, id).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETED", "FAILED", "CANCELLED"})
    void cancellingATerminalJobAnswers200WithTheJobUnchanged(JobStatus status) throws Exception {
        Job job = api.stored(TENANT_A, status, "done");

        ApiResponse response = api.call("POST /v1/jobs/{id}/cancel", job.id(), q(), TENANT_A);

        assertEquals(200, response.status(), response.body());
        assertEquals(status.wire(), statusOf(response));
        assertEquals(job, api.jobs.find(TENANT_A, job.id()).orElseThrow());
        assertEquals(json(api.get(job.id(), TENANT_A)), json(response));
    }

    @Test
    void cancellingAnUnknownOrAnotherTenantsJobIsNotFound() throws Exception {
        Job theirs = api.stored(TENANT_B, JobStatus.RUNNING, "theirs");

        assertError(api.call("POST /v1/jobs/{id}/cancel", "job_01JD3F2D1A77B0E1XYZ0000000", q(), TENANT_A), 404, "not_found");
        assertError(api.call("POST /v1/jobs/{id}/cancel", theirs.id(), q(), TENANT_A), 404, "not_found");
        assertError(api.call("POST /v1/jobs/{id}/cancel", "job_x", q(), TENANT_A), 404, "not_found");
        assertError(api.call("DELETE /v1/jobs/{id}", theirs.id(), q(), TENANT_A), 404, "not_found");
        assertEquals(theirs, api.jobs.find(TENANT_B, theirs.id()).orElseThrow());
    }

    @Test
    void cancelTakesNoQueryParameter() throws Exception {
        String id = api.stored(TENANT_A, JobStatus.RUNNING, "r").id();
        assertInvalid(api.call("POST /v1/jobs/{id}/cancel", id, q("purge", "true"), TENANT_A), "purge");
        assertEquals(JobStatus.RUNNING, api.jobs.find(TENANT_A, id).orElseThrow().status());
    }

    @Test
    void deleteWithoutPurgeCancels() throws Exception {
        String queued = api.createdId(TENANT_A);
        String running = api.stored(TENANT_A, JobStatus.RUNNING, "r").id();
        Job done = api.stored(TENANT_A, JobStatus.COMPLETED, "c");

        ApiResponse a = api.call("DELETE /v1/jobs/{id}", queued, q(), TENANT_A);
        ApiResponse b = api.call("DELETE /v1/jobs/{id}", running, q("purge", "false"), TENANT_A);
        ApiResponse c = api.call("DELETE /v1/jobs/{id}", done.id(), q(), TENANT_A);

        assertEquals(202, a.status(), a.body());
        assertEquals("cancelling", statusOf(a));
        assertEquals(202, b.status(), b.body());
        assertEquals("cancelling", statusOf(b));
        assertEquals(200, c.status(), c.body());
        assertEquals("completed", statusOf(c));
        assertEquals(JobStatus.CANCELLING, api.jobs.find(TENANT_A, queued).orElseThrow().status());
        assertEquals(JobStatus.CANCELLING, api.jobs.find(TENANT_A, running).orElseThrow().status());
        assertEquals(done, api.jobs.find(TENANT_A, done.id()).orElseThrow());
        assertEquals(3, api.jobs.size(), "nothing removed");
    }
}
