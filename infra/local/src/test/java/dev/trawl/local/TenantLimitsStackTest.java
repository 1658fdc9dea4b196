package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.aws.DynamoApiKeyStore;
import dev.trawl.aws.DynamoJobStore;
import dev.trawl.aws.DynamoTable;
import dev.trawl.aws.DynamoTenants;
import dev.trawl.aws.S3BlobStore;
import dev.trawl.core.auth.Authenticator;
import dev.trawl.core.http.CreateJobRequest;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.tenant.TenantLimits;
import dev.trawl.core.tenant.TenantSettings;
import dev.trawl.core.tenant.TenantUsage;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenants' limits on the local stack, through API Gateway and the API function as deployed: a tenant's burst meets
 * {@code 429 rate_limited} with {@code Retry-After} while another tenant's requests are all served; a job beyond a
 * tenant's ceiling is {@code 429 active_jobs_limit} until the finalizer's terminal write makes room. Each test's tenant
 * is new, with settings of its own written as an operator would (the {@code TN#tenant / SETTINGS} item).
 */
@ExtendWith(LocalStackExtension.class)
class TenantLimitsStackTest {

    /** A new tenant with these limits and a key; the API of that key. */
    private static Api tenant(LocalRuntime runtime, String name, TenantLimits limits) {
        return tenant(runtime, name, new TenantSettings(limits, null));
    }

    private static Api tenant(LocalRuntime runtime, String name, TenantSettings settings) {
        DynamoTable table = new DynamoTable(runtime.clients().dynamoDb(), runtime.resource("Table"));
        String key = "test-key-" + name;
        new DynamoApiKeyStore(table).put(Authenticator.hashOf(key), name);
        new DynamoTenants(table).put(name, settings);
        return new Api(runtime.apiUrl(), key);
    }

    private static JsonNode awaitJobNamed(Api api, String name) throws Exception {
        return Api.await("a job named " + name, Duration.ofSeconds(60), () -> {
            for (JsonNode job : api.get("/v1/jobs?limit=50").body().get("jobs")) {
                if (name.equals(job.get("name").asText(null))) {
                    return job;
                }
            }
            return null;
        }, job -> job != null);
    }

    @Test
    void inboxDropsTakeTheTenantsDefaultsAndOneBeyondTheCeilingEndsFailed(LocalRuntime runtime, TestSite site)
            throws Exception {
        String name = newTenant("inbox");
        JobSettings defaults = CreateJobRequest.parseJobDefaults("{\"concurrency\": 3, \"output\": {\"format\": \"csv\"}}");
        Api api = tenant(runtime, name, new TenantSettings(new TenantLimits(1_000, 1_000, 1, 1_000), defaults));
        S3BlobStore bucket = new S3BlobStore(runtime.clients().s3(), runtime.clients().presigner(), runtime.resource("Bucket"));
        bucket.put("inbox/" + name + "/slow.txt", site.url("/slow/inbox?ms=3000").getBytes(StandardCharsets.UTF_8),
                "text/plain");
        JsonNode first = awaitJobNamed(api, "slow.txt");
        assertEquals(3, first.get("concurrency").intValue(), first.toString());
        assertEquals("csv", first.at("/output/format").asText(), first.toString());

        bucket.put("inbox/" + name + "/beyond.txt", site.url("/page/1").getBytes(StandardCharsets.UTF_8), "text/plain");
        JsonNode beyond = awaitJobNamed(api, "beyond.txt");
        assertEquals("failed", beyond.get("status").asText(), beyond.toString());
        assertEquals("active_jobs_limit", beyond.at("/failure/code").asText(), beyond.toString());
        assertEquals("completed", api.awaitTerminal(first.get("id").asText(), Duration.ofSeconds(60)).get("status").asText());
    }

    private static String newTenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aBurstMeetsRateLimitedWithRetryAfterWhileAnotherTenantIsServed(LocalRuntime runtime) throws Exception {
        Api busy = tenant(runtime, newTenant("burst"), new TenantLimits(1, 5, 100, 1_000));
        Api other = new Api(runtime.apiUrl(), SharedRuntimeExtension.ACME_KEY);
        assertBurstMeetsRateLimitedWhileOtherIsServed(busy, other);
    }

    /**
     * 20 requests in a row of {@code busy}, a tenant of 1 request/s in bursts of 5: at least the burst is served, at
     * least 5 meet {@code 429 rate_limited} with {@code Retry-After}; {@code other}'s request beside each is served.
     */
    static void assertBurstMeetsRateLimitedWhileOtherIsServed(Api busy, Api other) throws Exception {
        int served = 0;
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            Api.Answer answer = busy.get("/v1/jobs?limit=1");
            if (answer.status() == 200) {
                served++;
            } else {
                assertEquals(429, answer.status(), answer.raw().body());
                assertEquals("rate_limited", answer.body().get("error").get("code").textValue());
                long wait = Long.parseLong(answer.raw().headers().firstValue("retry-after").orElseThrow());
                assertTrue(wait >= 1, "Retry-After " + wait);
                refused++;
            }
            assertEquals(200, other.get("/v1/jobs?limit=1").status(), "the other tenant is served at request " + i);
        }
        assertTrue(served >= 5, "the burst was served: " + served);
        assertTrue(refused >= 5, "beyond the burst and the refill, refused: " + refused + " of 20");
    }

    @Test
    void aJobBeyondTheActiveJobsCeilingIsRefusedUntilOneEnds(LocalRuntime runtime, TestSite site) throws Exception {
        String name = newTenant("ceiling");
        Api api = tenant(runtime, name, new TenantLimits(1_000, 1_000, 1, 1_000));
        String slow = Json.write(Map.of("input", Map.of("urls", List.of(site.url("/slow/ceiling?ms=3000")))));
        Api.Answer first = api.post("/v1/jobs", slow);
        assertEquals(202, first.status(), first.raw().body());

        Api.Answer second = api.post("/v1/jobs", slow);
        assertEquals(429, second.status(), second.raw().body());
        assertEquals("active_jobs_limit", second.body().get("error").get("code").textValue());

        api.awaitTerminal(first.body().get("id").textValue(), Duration.ofSeconds(60));
        DynamoJobStore jobs = new DynamoJobStore(new DynamoTable(runtime.clients().dynamoDb(), runtime.resource("Table")));
        assertEquals(TenantUsage.NONE, jobs.usage(name), "the finalizer's terminal write took the job out");
        Api.Answer third = api.post("/v1/jobs", slow);
        assertEquals(202, third.status(), "room again: " + third.raw().body());
        assertEquals(new TenantUsage(1, 16), jobs.usage(name));
    }

    @Test
    void aJobThatFailsPlanningLeavesItsTenantsUsage(LocalRuntime runtime, TestSite site) throws Exception {
        String name = newTenant("planfail");
        Api api = tenant(runtime, name, new TenantLimits(1_000, 1_000, 1, 1_000));
        S3BlobStore bucket = new S3BlobStore(runtime.clients().s3(), runtime.clients().presigner(), runtime.resource("Bucket"));
        bucket.put("inbox/" + name + "/no-url-column.csv", "sku,name\r\nA-1,mug\r\n".getBytes(StandardCharsets.UTF_8),
                "text/csv");
        JsonNode dropped = awaitJobNamed(api, "no-url-column.csv");
        JsonNode failed = api.awaitTerminal(dropped.get("id").asText(), Duration.ofSeconds(60));
        assertEquals("input_invalid", failed.at("/failure/code").asText(), failed.toString());
        DynamoJobStore jobs = new DynamoJobStore(new DynamoTable(runtime.clients().dynamoDb(), runtime.resource("Table")));
        assertEquals(TenantUsage.NONE, jobs.usage(name), "the planner's failing write took the job out");
        String body = Json.write(Map.of("input", Map.of("urls", List.of(site.url("/page/1")))));
        assertEquals(202, api.post("/v1/jobs", body).status(), "room for a new job");
    }
}
