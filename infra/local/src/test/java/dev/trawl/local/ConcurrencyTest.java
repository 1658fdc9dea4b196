package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A job's concurrency, counted by the site being fetched: never more in flight, and close to it when asked. */
@ExtendWith(LocalStackExtension.class)
class ConcurrencyTest {

    /** @return the most requests of this run the site served at once */
    private static int run(LocalRuntime runtime, TestSite site, int urls, int concurrency, int perHost, int millis)
            throws Exception {
        String prefix = "/slow/c" + concurrency + "x" + System.nanoTime() + "-";
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.GLOBEX_KEY);
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= urls; i++) {
            // spread over the site's host names: a per-host limit holds for each, the job's concurrency for all
            lines.append(site.url(1 + i % TestSite.HOSTS, prefix + i + "?ms=" + millis)).append('\n');
        }
        // Through an upload: inline input stops at 1,000 URLs.
        Api.Answer upload = api.send(api.request("/v1/uploads").header("content-type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(lines.toString())));
        String uploadId = upload.body().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!api.get("/v1/uploads/" + uploadId).body().get("status").asText().equals("ready")) {
            assertTrue(System.nanoTime() < deadline, "the upload was never checked");
            Thread.sleep(100);
        }
        ObjectNode body = Json.object();
        body.putObject("input").put("upload_id", uploadId);
        body.putObject("defaults").put("timeout_ms", 10_000).put("retries", 0).put("per_host_concurrency", perHost);
        body.put("concurrency", concurrency);
        Api.Answer created = api.post("/v1/jobs", Json.write(body));
        assertEquals(202, created.status(), created.raw().body());
        JsonNode job = api.awaitTerminal(created.body().get("id").asText(), Duration.ofMinutes(3));
        assertEquals(urls, job.get("urls_ok").asInt(), job.toString());
        return site.mostInFlight(prefix);
    }

    @Test
    void aJobNeverHasMoreThanItsConcurrencyInFlight(LocalRuntime runtime, TestSite site) throws Exception {
        int most = run(runtime, site, 60, 4, 64, 200);
        assertTrue(most <= 4, "at most 4 in flight, saw " + most);
        assertTrue(most >= 3, "a concurrency of 4 is used, saw " + most);
    }

    @Test
    void aSmallJobIsNotStarvedByALargeOneRunningBeforeIt(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        ObjectNode large = Json.object();
        var urls = large.putObject("input").putArray("urls");
        for (int i = 1; i <= 1_000; i++) {
            urls.add(site.url("/slow/large-" + i + "?ms=1000"));
        }
        large.put("concurrency", 32);
        large.putObject("defaults").put("per_host_concurrency", 64);
        String largeId = api.post("/v1/jobs", Json.write(large)).body().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!api.get("/v1/jobs/" + largeId).body().get("status").asText().equals("running")) {
            assertTrue(System.nanoTime() < deadline, "the large job never started");
            Thread.sleep(50);
        }
        ObjectNode small = Json.object();
        small.putObject("input").putArray("urls").add(site.url("/page/small-1")).add(site.url("/page/small-2"));
        JsonNode smallJob = api.awaitTerminal(api.post("/v1/jobs", Json.write(small)).body().get("id").asText(),
                Duration.ofMinutes(1));
        assertEquals("completed", smallJob.get("status").asText());
        JsonNode largeNow = api.get("/v1/jobs/" + largeId).body();
        assertEquals("running", largeNow.get("status").asText(),
                "the small job finished while the large one ran on (" + largeNow.get("urls_done") + " of 1000 done)");
        api.post("/v1/jobs/" + largeId + "/cancel", "");
        api.awaitTerminal(largeId, Duration.ofMinutes(1));
    }

    @Test
    void aPerHostLimitHoldsAcrossTheJobsGroups(LocalRuntime runtime, TestSite site) throws Exception {
        String prefix = "/slow/host" + System.nanoTime() + "-";
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.GLOBEX_KEY);
        ObjectNode body = Json.object();
        var urls = body.putObject("input").putArray("urls");
        for (int i = 1; i <= 700; i++) {
            urls.add(site.url(prefix + i + "?ms=150"));
        }
        body.put("concurrency", 200); // seven groups, each running a chunk (of 100) at once
        body.putObject("defaults").put("per_host_concurrency", 8).put("timeout_ms", 10_000);
        Api.Answer created = api.post("/v1/jobs", Json.write(body));
        assertEquals(202, created.status(), created.raw().body());
        JsonNode job = api.awaitTerminal(created.body().get("id").asText(), Duration.ofMinutes(2));
        assertEquals(700, job.get("urls_ok").asInt(), job.toString());
        int most = site.mostInFlight(prefix);
        assertTrue(most <= 8, "at most 8 at once to one host, saw " + most);
        assertTrue(most >= 5, "the limit is used by several groups at once, saw " + most);
    }

    @Test
    void aHighConcurrencyIsReachedAcrossGroups(LocalRuntime runtime, TestSite site) throws Exception {
        int most = run(runtime, site, 2_000, 200, 64, 1_000);
        assertTrue(most <= 200, "at most 200 in flight, saw " + most);
        assertTrue(most > 100, "well above 100 in flight, saw " + most);
    }
}
