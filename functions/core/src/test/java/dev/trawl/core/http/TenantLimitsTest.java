package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.limits.TenantSettingsCache;
import dev.trawl.core.port.RequestBuckets;
import dev.trawl.core.tenant.TenantLimits;
import dev.trawl.core.tenant.TenantSettings;
import dev.trawl.core.tenant.TenantUsage;
import dev.trawl.core.testing.Failing;
import dev.trawl.core.testing.InMemoryRequestBuckets;
import dev.trawl.core.testing.InMemoryTenants;
import dev.trawl.core.testing.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static dev.trawl.core.http.ApiFixture.BODY;
import static dev.trawl.core.http.ApiFixture.RETRY_ENTRIES;
import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.TENANT_B;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tenant's limits through the API: every authenticated request takes a token of its own bucket, beyond it
 * {@code 429 rate_limited} with {@code Retry-After}; a job beyond its tenant's ceilings is {@code 429} with the
 * ceiling's code and is not stored; no tenant's limits touch another's requests.
 */
class TenantLimitsTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();
    private final InMemoryTenants tenants = new InMemoryTenants();
    private final HttpApi http = HttpApi.over(api.jobs, api.jobs, api.jobs, api.jobs, api.uploads, api.blobs, api.queue,
            null, api.secrets, new HttpApi.Settings(null, null, api.cursors, api.links, api.clock),
            new HttpApi.Limits(new TenantSettingsCache(tenants, api.clock), new InMemoryRequestBuckets()));

    private void limit(String tenant, TenantLimits limits) {
        tenants.put(tenant, new TenantSettings(limits, null));
    }

    private ApiResponse list(String tenant) {
        return http.handle(request("GET /v1/jobs", Map.of(), Map.of(), null, tenant));
    }

    private ApiResponse create(String body, String tenant) {
        return http.handle(request("POST /v1/jobs", Map.of(), Map.of(), body, tenant));
    }

    @Test
    void aBurstMeetsRateLimitedWithRetryAfterWhileAnotherTenantIsServed() throws Exception {
        limit(TENANT_A, new TenantLimits(1, 3, 100, 1_000));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, list(TENANT_A).status(), "request " + i + " of the burst");
        }
        ApiResponse refused = list(TENANT_A);
        JsonNode error = assertError(refused, 429, "rate_limited");
        assertEquals("1", refused.headers().get("retry-after"));
        assertTrue(error.get("message").textValue().contains("1 requests per second"), error.toString());

        for (int i = 0; i < 20; i++) {
            assertEquals(200, list(TENANT_B).status(), "another tenant, at the default limits, is served");
        }
        assertEquals(429, create(BODY, TENANT_A).status(), "every route takes a token");
        assertEquals(0, api.jobs.size());

        api.clock.advance(Duration.ofSeconds(1));
        assertEquals(200, list(TENANT_A).status(), "a token came back after the wait said");
    }

    @Test
    void theWaitGrowsWithTheDeficitAndANoKeyRequestIsStillA401() throws Exception {
        limit(TENANT_A, new TenantLimits(1, 1, 100, 1_000));
        assertEquals(200, list(TENANT_A).status());
        assertEquals("1", list(TENANT_A).headers().get("retry-after"));
        assertEquals(404, http.handle(request("GET /v1/nothing", Map.of(), Map.of(), null, TENANT_B)).status());
        assertError(list(null), 401, "unauthorized");
    }

    @Test
    void theDefaultsServeABurstOfOneHundred() {
        for (int i = 0; i < 100; i++) {
            assertEquals(200, list(TENANT_A).status(), "request " + i);
        }
        assertEquals(429, list(TENANT_A).status());
        assertEquals("1", list(TENANT_A).headers().get("retry-after"));
    }

    @Test
    void aJobBeyondTheActiveJobsCeilingIsRefusedAndNotStored() throws Exception {
        limit(TENANT_A, new TenantLimits(1_000, 1_000, 1, 1_000));
        assertEquals(202, create(BODY, TENANT_A).status());
        int blobs = api.blobs.keys("").size();
        ApiResponse refused = create(BODY, TENANT_A);
        JsonNode error = assertError(refused, 429, "active_jobs_limit");
        assertTrue(error.get("message").textValue().contains("at most 1 active jobs"), error.toString());
        assertTrue(error.get("message").textValue().contains("has 1"), error.toString());
        assertNull(refused.headers().get("retry-after"));
        assertEquals(1, api.jobs.size());
        assertEquals(blobs, api.blobs.keys("").size(), "the refused job's input was removed");
        assertEquals(202, create(BODY, TENANT_B).status(), "another tenant's ceiling is its own");

        Job first = api.jobs.all().stream().filter(job -> job.tenant().equals(TENANT_A)).findFirst().orElseThrow();
        api.jobs.failPlanning(TENANT_A, first.id(), new Failure("input_unreadable", "x"), api.clock.instant());
        assertEquals(202, create(BODY, TENANT_A).status(), "a job that ended made room");
    }

    @Test
    void aJobBeyondTheConcurrencyCeilingIsRefused() throws Exception {
        limit(TENANT_A, new TenantLimits(1_000, 1_000, 100, 10));
        assertEquals(202, create(BODY, TENANT_A).status()); // concurrency 8
        JsonNode error = assertError(create(BODY, TENANT_A), 429, "concurrency_limit");
        assertTrue(error.get("message").textValue().contains("at most 10"), error.toString());
        assertTrue(error.get("message").textValue().contains("hold 8"), error.toString());
        assertEquals(202, create(BODY.replace("\"concurrency\": 8", "\"concurrency\": 2"), TENANT_A).status());
        assertEquals(new TenantUsage(2, 10), api.jobs.usage(TENANT_A));
    }

    @Test
    void aRetryBeyondACeilingIsRefused() throws Exception {
        limit(TENANT_A, new TenantLimits(1_000, 1_000, 1, 1_000));
        JobSettings settings = TestJobs.settings().concurrency(4).build();
        Job original = api.finish(api.planned(TENANT_A, settings, RETRY_ENTRIES, 2), Set.of(2L), JobStatus.COMPLETED);
        assertEquals(202, create(BODY, TENANT_A).status());
        int jobs = api.jobs.size();
        assertError(http.handle(request("POST /v1/jobs/{id}/retry", Map.of("id", original.id()), Map.of(), null,
                TENANT_A)), 429, "active_jobs_limit");
        assertEquals(jobs, api.jobs.size());
    }

    @Test
    void inboxJobDefaultsAreReadAsACreateBodysSettingsWithoutNameInputOrWebhook() {
        JobSettings defaults = CreateJobRequest.parseJobDefaults(
                "{\"concurrency\": 4, \"output\": {\"format\": \"csv\"}, \"max_urls\": 10}");
        assertEquals(4, defaults.concurrency());
        assertEquals("csv", defaults.output().format());
        assertEquals(10, defaults.maxUrls());
        for (String refused : new String[]{"{\"webhook\": \"https://h.example/\"}", "{\"name\": \"x\"}",
                "{\"input\": {\"urls\": []}}", "{\"concurrency\": 999}", "{\"colour\": 1}", "[]"}) {
            assertThrows(InvalidInput.class, () -> CreateJobRequest.parseJobDefaults(refused), refused);
        }
    }

    @Test
    void aLimiterThatFailsServesTheRequestAndSaysSo() throws Exception {
        HttpApi failing = HttpApi.over(api.jobs, api.jobs, api.jobs, api.jobs, api.uploads, api.blobs, api.queue, null,
                api.secrets, new HttpApi.Settings(null, null, api.cursors, api.links, api.clock),
                new HttpApi.Limits(new TenantSettingsCache(tenants, api.clock),
                        Failing.port(RequestBuckets.class, () -> new IllegalStateException("table throttled"))));
        assertEquals(200, failing.handle(request("GET /v1/jobs", Map.of(), Map.of(), null, TENANT_A)).status());
        assertTrue(api.logs().contains("request rate not checked"), api.logs());
    }
}
