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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
 * job is active, a 404 without a result), and the job's {@code download_url} is a download link of the API that works
 * without a key for exactly its {@code download_url_ttl_s}, leading each time to a storage link signed then.
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
    void aDownloadLinkLivesItsWholeTtlAndLeadsToAStorageLinkSignedWhenFollowed() throws Exception {
        JobSettings month = new JobSettings(16, OutputSpec.DEFAULT, JobSettings.DEFAULTS.defaults(),
                30L * 86_400, false, null, null, 0, 86_400);
        Job job = api.finish(api.planned(TENANT_A, month, RETRY_ENTRIES, 4), Set.of(), JobStatus.COMPLETED);
        JsonNode read = json(api.call("GET /v1/jobs/{id}", job.id(), q(), TENANT_A));
        String link = read.get("download_url").asText();
        assertTrue(link.startsWith("https://" + ApiFixture.HOST + "/v1/results/"), link);
        assertEquals(job.completedAt().plus(Duration.ofDays(30)).toString(), read.get("download_url_expires_at").asText());
        assertEquals(link, json(api.call("GET /v1/jobs", null, q(), TENANT_A)).get("jobs").get(0).get("download_url").asText());
        assertEquals(link, read.at("/result_parts/0/url").asText());

        api.clock.advance(Duration.ofDays(29));
        ApiResponse followed = follow(link);
        assertEquals(302, followed.status(), followed.body());
        assertEquals("https://blobs.test/results/" + TENANT_A + "/" + job.id() + "/result-00001.ndjson?ttl=300",
                followed.headers().get("location"), "a storage link of a few minutes, signed as the link is followed");
        assertEquals("no-store", followed.headers().get("cache-control"));

        api.clock.advance(Duration.ofHours(23).plusMinutes(58));
        assertTrue(follow(link).headers().get("location").endsWith("?ttl=120"), "never past the link's own end");
        api.clock.advance(Duration.ofMinutes(2));
        assertError(follow(link), 410, "link_expired");
    }

    @Test
    void aDownloadLinkEditedOrOfARemovedJobNamesNothing() throws Exception {
        Job job = api.finish(api.planned(TENANT_A, JobSettings.DEFAULTS, RETRY_ENTRIES, 4), Set.of(), JobStatus.COMPLETED);
        String link = json(api.call("GET /v1/jobs/{id}", job.id(), q(), TENANT_A)).get("download_url").asText();
        String token = link.substring(link.lastIndexOf('/') + 1);
        String fields = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);

        for (String edited : List.of(fields.replace(TENANT_A, TENANT_B), fields.replace("|0|", "|1|"),
                fields.substring(0, fields.lastIndexOf('|') + 1) + "9999999999")) {
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(edited.getBytes(StandardCharsets.UTF_8))
                    + token.substring(token.indexOf('.'));
            assertError(follow(forged), 404, "not_found");
        }
        assertError(follow("not-a-token"), 404, "not_found");
        assertError(follow(token.substring(0, token.length() - 2)), 404, "not_found");
        assertEquals(302, follow(link).status());

        assertEquals(204, api.call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true"), TENANT_A).status());
        assertError(follow(link), 404, "not_found");
    }

    /** A download link followed as a browser would: no API key. */
    private ApiResponse follow(String link) {
        String token = link.substring(link.lastIndexOf('/') + 1);
        return api.handle(ApiFixture.request("GET /v1/results/{token}", Map.of("token", token), Map.of(), null, null));
    }
}
