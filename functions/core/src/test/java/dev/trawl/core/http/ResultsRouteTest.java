package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.trawl.core.http.ApiFixture.RETRY_ENTRIES;
import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.TENANT_B;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.json;
import static dev.trawl.core.http.ApiFixture.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A finished job's result: {@code GET /v1/jobs/{id}/results} redirects to a freshly signed short link (a 409 while the
 * job is active, a 404 without a result), and the job's {@code download_url} is signed anew on every read, never past
 * the job's link lifetime.
 */
class ResultsRouteTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    @Test
    void theResultRedirectsToAFreshShortLink() throws Exception {
        Job job = api.finish(api.planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(), JobStatus.COMPLETED);

        ApiResponse response = api.call("GET /v1/jobs/{id}/results", job.id(), q(), TENANT_A);

        assertEquals(302, response.status(), response.body());
        assertEquals("https://blobs.test/results/" + TENANT_A + "/" + job.id() + "/result-00001.ndjson?ttl=900",
                response.headers().get("location"));
        assertEquals("", response.body());
        assertError(api.call("GET /v1/jobs/{id}/results", job.id(), q(), TENANT_B), 404, "not_found");
    }

    @Test
    void theResultLinkNeverOutlivesDownloadUrlTtl() throws Exception {
        JobSettings shortLived = TestJobs.settings().downloadUrlTtlSeconds(60).build();
        Job job = api.finish(api.planned(TENANT_A, shortLived, RETRY_ENTRIES, 4), Set.of(), JobStatus.CANCELLED);

        ApiResponse response = api.call("GET /v1/jobs/{id}/results", job.id(), q(), TENANT_A);

        assertEquals(302, response.status());
        assertTrue(response.headers().get("location").endsWith("?ttl=60"), response.headers().get("location"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"QUEUED", "RUNNING", "CANCELLING"})
    void theResultOfAnActiveJobIsA409(JobStatus status) throws Exception {
        Job job = api.stored(TENANT_A, status, "live");
        assertError(api.call("GET /v1/jobs/{id}/results", job.id(), q(), TENANT_A), 409, "job_active");
    }

    @Test
    void aTerminalJobWithoutAResultIsA404() throws Exception {
        Job none = api.stored(TENANT_A, JobStatus.FAILED, "none");
        Job empty = JobBuilder.from(api.stored(TENANT_A, JobStatus.FAILED, "empty")).resultParts(List.of()).build();
        api.jobs.put(empty);
        assertError(api.call("GET /v1/jobs/{id}/results", none.id(), q(), TENANT_A), 404, "not_found");
        assertError(api.call("GET /v1/jobs/{id}/results", empty.id(), q(), TENANT_A), 404, "not_found");
        assertError(api.call("GET /v1/jobs/{id}/results", "job_01JD3F2D1A77B0E1XYZ0000000", q(), TENANT_A), 404, "not_found");
    }

    @Test
    void aJobsLinksAreSignedAnewOnEveryReadWithinItsTtlAndAtMostSevenDays() throws Exception {
        JobSettings month = new JobSettings(16, OutputSpec.DEFAULT, JobSettings.DEFAULTS.defaults(),
                30L * 86_400, false, null, null, 0, 86_400);
        Job job = api.finish(api.planned(TENANT_A, month, RETRY_ENTRIES, 4), Set.of(), JobStatus.COMPLETED);
        api.clock.advance(Duration.ofDays(3));
        JsonNode read = json(api.call("GET /v1/jobs/{id}", job.id(), q(), TENANT_A));
        assertTrue(read.get("download_url").asText().endsWith("?ttl=604800"), read.get("download_url").asText());
        assertEquals(api.clock.instant().plus(Duration.ofDays(7)).toString(), read.get("download_url_expires_at").asText());

        api.clock.advance(Duration.ofDays(26));
        read = json(api.call("GET /v1/jobs/{id}", job.id(), q(), TENANT_A));
        assertTrue(read.get("download_url").asText().endsWith("?ttl=86400"), "one day of the thirty left: "
                + read.get("download_url").asText());
        String listed = json(api.call("GET /v1/jobs", null, q(), TENANT_A)).get("jobs").get(0).get("download_url").asText();
        assertTrue(listed.endsWith("?ttl=86400"), listed);

        api.clock.advance(Duration.ofDays(2));
        read = json(api.call("GET /v1/jobs/{id}", job.id(), q(), TENANT_A));
        assertTrue(Instant.parse(read.get("download_url_expires_at").asText()).isBefore(api.clock.instant()),
                "past the job's ttl the link is not renewed");
    }
}
