package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import dev.trawl.local.faults.Faults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One job of 1,000 URLs through the whole local stack over real HTTP: pages, 404s, 500s (some retried),
 * pages slower than the job's time-out, and unusable URLs; then the same job with every SQS message
 * delivered twice at once.
 */
@ExtendWith(LocalStackExtension.class)
class EndToEndJobTest {
    private static final int URLS = 1_000;

    /** What line {@code i} (1-based) asks for, and what its row must say. */
    private record Expected(String path, String status, String errorCode, Integer httpStatus, int attempts, boolean withMeta,
                            boolean retriedEntry) {
    }

    private static Expected expected(int i) {
        boolean meta = i % 4 == 0;
        if (i % 50 == 0) {
            return new Expected("/slow/" + i + "?ms=2500", "error", "timeout", null, 1, meta, false);
        }
        if (i % 125 == 1) {
            return new Expected(null, "error", "invalid_url", null, 0, meta, false);
        }
        if (i % 10 == 3) {
            return new Expected("/missing/" + i, "error", "http_error", 404, 1, meta, false);
        }
        if (i % 10 == 7) {
            boolean retried = i % 20 == 7;
            return new Expected("/error/" + i, "error", "http_error", 500, retried ? 2 : 1, meta, retried);
        }
        return new Expected("/page/" + i, "ok", null, 200, 1, meta, false);
    }

    private static String body(TestSite site, String name) {
        ArrayNode urls = Json.MAPPER.createArrayNode();
        for (int i = 1; i <= URLS; i++) {
            Expected e = expected(i);
            String url = e.path() == null ? "not a url " + i : site.url(e.path());
            // Only the slow pages get the short time-out: on a loaded machine an ordinary page may take over a second.
            boolean slow = e.path() != null && e.path().startsWith("/slow/");
            if (!e.withMeta() && !e.retriedEntry() && !slow) {
                urls.add(url);
                continue;
            }
            ObjectNode entry = urls.addObject();
            entry.put("url", url);
            if (slow) {
                entry.put("timeout_ms", 1_000);
            }
            if (e.withMeta()) {
                entry.putObject("meta").put("sku", "SKU-" + i).put("n", i);
            }
            if (e.retriedEntry()) {
                entry.put("retries", 1);
            }
        }
        ObjectNode job = Json.object();
        job.put("name", name);
        job.putObject("input").set("urls", urls);
        job.putObject("defaults").put("timeout_ms", 15_000).put("retries", 0);
        job.put("concurrency", 64);
        return Json.write(job);
    }

    private record Outcome(JsonNode job, List<JsonNode> rows) {
    }

    private static Outcome runJob(LocalRuntime runtime, TestSite site, String name) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        Api.Answer created = api.post("/v1/jobs", body(site, name));
        assertEquals(202, created.status(), created.raw().body());
        String id = created.body().get("id").asText();
        assertEquals("/v1/jobs/" + id, created.raw().headers().firstValue("location").orElseThrow());
        assertEquals("queued", created.body().get("status").asText());
        List<JsonNode> seen = new ArrayList<>();
        JsonNode job = api.awaitTerminal(id, Duration.ofMinutes(3), seen);
        assertEquals("completed", job.get("status").asText(), job.toString());
        assertProgressOnlyMovesForward(seen);
        return new Outcome(job, Api.download(job.get("download_url").asText()));
    }

    /** While it runs, the job shows its progress, and nothing it shows ever goes back. */
    private static void assertProgressOnlyMovesForward(List<JsonNode> seen) {
        List<String> order = List.of("queued", "running", "completed");
        List<String> phaseOrder = List.of("pending", "running", "done");
        boolean sawPartialProgress = false;
        for (int i = 1; i < seen.size(); i++) {
            JsonNode before = seen.get(i - 1);
            JsonNode after = seen.get(i);
            assertTrue(order.indexOf(after.get("status").asText()) >= order.indexOf(before.get("status").asText()),
                    before.get("status") + " then " + after.get("status"));
            assertTrue(after.get("urls_done").asLong() >= before.get("urls_done").asLong());
            assertTrue(after.get("percent_complete").asDouble() >= before.get("percent_complete").asDouble());
            for (String phase : List.of("plan", "fetch", "finalize")) {
                assertTrue(phaseOrder.indexOf(after.at("/phases/" + phase + "/state").asText())
                        >= phaseOrder.indexOf(before.at("/phases/" + phase + "/state").asText()), phase);
            }
            long done = after.get("urls_done").asLong();
            if (after.get("status").asText().equals("running") && done > 0 && done < URLS) {
                sawPartialProgress = true;
                assertEquals(done, after.get("urls_ok").asLong() + after.get("urls_errored").asLong()
                        + after.get("urls_skipped").asLong());
                assertEquals("done", after.at("/phases/plan/state").asText());
                assertEquals("running", after.at("/phases/fetch/state").asText());
                assertEquals(URLS, after.get("urls_total").asLong());
                double percent = after.get("percent_complete").asDouble();
                assertTrue(percent > 0 && percent < 1, "percent_complete " + percent);
            }
        }
        assertTrue(sawPartialProgress, "the job was never seen running part-way");
    }

    @Test
    void aThousandUrlsEndAsAThousandRowsInOrderWithExactCounters(LocalRuntime runtime, TestSite site) throws Exception {
        Outcome first = runJob(runtime, site, "e2e-1000");
        assertRowsAndCounters(site, first);

        int pageHitsBefore = site.hitsUnder("/page/");
        Faults.of(runtime).duplicateDeliveries(true);
        Outcome twice;
        try {
            twice = runJob(runtime, site, "e2e-1000-delivered-twice");
        } finally {
            Faults.of(runtime).duplicateDeliveries(false);
        }
        assertRowsAndCounters(site, twice);
        // Every chunk really was fetched by two deliveries, and still counted once.
        int okPages = (int) first.rows().stream().filter(r -> r.get("status").asText().equals("ok")).count();
        assertTrue(site.hitsUnder("/page/") - pageHitsBefore > okPages,
                "duplicate deliveries should have fetched pages twice");
        List<JsonNode> once = Api.stable(first.rows());
        List<JsonNode> delivered = Api.stable(twice.rows());
        for (int i = 0; i < URLS; i++) {
            assertEquals(once.get(i), delivered.get(i), "line " + (i + 1));
        }
        for (String counter : List.of("urls_total", "urls_done", "urls_ok", "urls_errored", "urls_skipped", "urls_filtered")) {
            assertEquals(first.job().get(counter), twice.job().get(counter), counter);
        }
        assertEquals(first.job().get("phases"), twice.job().get("phases"));
    }

    private static void assertRowsAndCounters(TestSite site, Outcome outcome) {
        List<JsonNode> rows = outcome.rows();
        assertEquals(URLS, rows.size());
        long ok = 0;
        long errored = 0;
        for (int i = 1; i <= URLS; i++) {
            JsonNode row = rows.get(i - 1);
            Expected e = expected(i);
            String where = "line " + i + ": " + row;
            assertEquals(i, row.get("line").asInt(), where);
            assertEquals(e.path() == null ? "not a url " + i : site.url(e.path()), row.get("url").asText(), where);
            assertEquals(e.status(), row.get("status").asText(), where);
            if (e.errorCode() == null) {
                assertTrue(row.get("error").isNull(), where);
                ok++;
            } else {
                assertEquals(e.errorCode(), row.get("error").get("code").asText(), where);
                errored++;
            }
            if (e.httpStatus() == null) {
                assertTrue(row.get("http_status").isNull(), where);
            } else {
                assertEquals(e.httpStatus(), row.get("http_status").asInt(), where);
            }
            assertEquals(e.attempts(), row.get("attempts").asInt(), where);
            if (e.withMeta()) {
                assertEquals("SKU-" + i, row.get("meta").get("sku").asText(), where);
                assertEquals(i, row.get("meta").get("n").asInt(), where);
            } else {
                assertTrue(row.get("meta").isNull(), where);
            }
            if (e.status().equals("ok")) {
                assertTrue(row.get("bytes").asLong() > 0, where);
                assertTrue(row.get("content_type").asText().startsWith("text/html"), where);
                assertNotNull(row.get("fetched_at").asText(null), where);
            }
        }
        JsonNode job = outcome.job();
        assertEquals(URLS, job.get("urls_total").asLong());
        assertEquals(URLS, job.get("urls_done").asLong());
        assertEquals(ok, job.get("urls_ok").asLong());
        assertEquals(errored, job.get("urls_errored").asLong());
        assertEquals(0, job.get("urls_skipped").asLong());
        assertEquals(1.0, job.get("percent_complete").asDouble());
        assertEquals(10, job.get("phases").get("plan").get("chunks_total").asInt());
        assertEquals(10, job.get("phases").get("fetch").get("chunks_done").asInt());
        for (String phase : List.of("plan", "fetch", "finalize")) {
            assertEquals("done", job.get("phases").get(phase).get("state").asText(), phase);
        }
        assertNotNull(job.get("started_at").asText(null));
        assertNotNull(job.get("completed_at").asText(null));
        assertNull(job.get("failure").asText(null));
        assertEquals(URLS, job.get("result_parts").get(0).get("rows").asLong());
    }

}
