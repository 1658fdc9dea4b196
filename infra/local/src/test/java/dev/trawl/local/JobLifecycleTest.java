package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every transition of the contract over real HTTP on the local stack. */
@ExtendWith(LocalStackExtension.class)
class JobLifecycleTest {
    private static final Duration WAIT = Duration.ofMinutes(2);

    private static String job(int urls, IntFunction<Object> entry, Map<String, Object> settings) {
        ObjectNode body = Json.object();
        body.put("name", "lifecycle");
        ArrayNode list = body.putObject("input").putArray("urls");
        for (int i = 1; i <= urls; i++) {
            list.add(Json.MAPPER.valueToTree(entry.apply(i)));
        }
        ObjectNode defaults = body.putObject("defaults");
        defaults.put("timeout_ms", 5_000).put("retries", 0);
        settings.forEach((name, value) -> body.set(name, Json.MAPPER.valueToTree(value)));
        return Json.write(body);
    }

    private static String submit(Api api, String body) throws Exception {
        Api.Answer created = api.post("/v1/jobs", body);
        assertEquals(202, created.status(), created.raw().body());
        return created.body().get("id").asText();
    }

    private static JsonNode awaitStatus(Api api, String id, String status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = api.get("/v1/jobs/" + id).body();
            if (job.get("status").asText().equals(status)) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " never became " + status);
    }

    /** One row per input line, in order, and the job's counters equal the rows'. */
    private static List<JsonNode> assertRowsMatchCounters(JsonNode job, int lines) throws Exception {
        List<JsonNode> rows = Api.download(job.get("download_url").asText());
        assertEquals(lines, rows.size());
        Map<String, Long> byStatus = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i + 1, rows.get(i).get("line").asInt());
            byStatus.merge(rows.get(i).get("status").asText(), 1L, Long::sum);
        }
        assertEquals(byStatus.getOrDefault("ok", 0L), job.get("urls_ok").asLong());
        assertEquals(byStatus.getOrDefault("error", 0L), job.get("urls_errored").asLong());
        assertEquals(byStatus.getOrDefault("skipped", 0L), job.get("urls_skipped").asLong());
        assertEquals(lines, job.get("urls_done").asLong());
        assertEquals(lines, job.get("urls_total").asLong());
        return rows;
    }

    @Test
    void cancelWhileChunksAreInFlightSkipsWhatWasNotStartedAndKeepsEveryLine(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String id = submit(api, job(300, i -> site.url("/slow/cancel-" + i + "?ms=600"), Map.of("concurrency", 4)));
        JsonNode running = awaitStatus(api, id, "running");
        assertEquals("running", running.get("status").asText());
        // "running" comes before a worker has taken a chunk; cancel once fetches have begun, so some lines finish
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (site.hitsUnder("/slow/cancel-") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(site.hitsUnder("/slow/cancel-") > 0, "no fetch ever began");

        Api.Answer cancel = api.post("/v1/jobs/" + id + "/cancel", "");
        assertEquals(202, cancel.status(), cancel.raw().body());
        assertEquals("cancelling", cancel.body().get("status").asText());
        Api.Answer repeated = api.send(api.request("/v1/jobs/" + id).DELETE());
        assertTrue(repeated.status() == 202 || repeated.status() == 200, "cancel is idempotent: " + repeated.status());
        assertTrue(List.of("cancelling", "cancelled").contains(repeated.body().get("status").asText()), repeated.raw().body());

        JsonNode job = api.awaitTerminal(id, WAIT);
        assertEquals("cancelled", job.get("status").asText());
        List<JsonNode> rows = assertRowsMatchCounters(job, 300);
        long skipped = rows.stream().filter(r -> r.get("status").asText().equals("skipped")).count();
        assertTrue(skipped > 0 && skipped < 300, "skipped " + skipped);
        rows.stream().filter(r -> r.get("status").asText().equals("skipped"))
                .forEach(r -> assertEquals("cancelled", r.get("error").get("code").asText()));
        assertTrue(job.get("download_url").isTextual());

        Api.Answer again = api.post("/v1/jobs/" + id + "/cancel", "");
        assertEquals(200, again.status());
        assertEquals(job.get("updated_at"), again.body().get("updated_at"), "a terminal job is unchanged");
        assertEquals(200, api.send(api.request("/v1/jobs/" + id).DELETE()).status());
        assertEquals(404, api.post("/v1/jobs/job_00000000000000000000000000/cancel", "").status());
    }

    @Test
    void cancelRacingCompletionEndsInOneTerminalStateWithEveryLine(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        for (int round = 0; round < 5; round++) {
            String id = submit(api, job(5, i -> site.url("/page/" + i), Map.of()));
            long delay = 150L * round;
            CompletableFuture<?> canceller = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(delay);
                    api.post("/v1/jobs/" + id + "/cancel", "");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            JsonNode job = api.awaitTerminal(id, WAIT);
            canceller.join();
            job = api.get("/v1/jobs/" + id).body();
            assertTrue(List.of("completed", "cancelled").contains(job.get("status").asText()), job.toString());
            assertRowsMatchCounters(job, 5);
        }
    }

    @Test
    void retryTakesExactlyTheErroredEntriesInOrderAndARetryCanBeRetried(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String id = submit(api, job(30, i -> i % 5 == 0
                ? Map.of("url", site.url("/error/" + i), "meta", Map.of("n", i), "timeout_ms", 4_000)
                : i % 7 == 0 ? site.url("/missing/" + i) : site.url("/page/" + i), Map.of()));
        Api.Answer early = api.post("/v1/jobs/" + id + "/retry", "");
        if (early.status() != 202) {
            assertEquals(409, early.status(), early.raw().body());
            assertEquals("job_active", early.body().get("error").get("code").asText());
        }
        List<JsonNode> original = assertRowsMatchCounters(api.awaitTerminal(id, WAIT), 30);
        List<String> erroredUrls = original.stream().filter(r -> r.get("status").asText().equals("error"))
                .map(r -> r.get("url").asText()).toList();

        Api.Answer retried = api.post("/v1/jobs/" + id + "/retry", "");
        assertEquals(202, retried.status(), retried.raw().body());
        String retryId = retried.body().get("id").asText();
        assertEquals(id, retried.body().get("retry_of").asText());
        JsonNode retry = api.awaitTerminal(retryId, WAIT);
        List<JsonNode> rows = assertRowsMatchCounters(retry, erroredUrls.size());
        assertEquals(erroredUrls, rows.stream().map(r -> r.get("url").asText()).toList());
        for (JsonNode row : rows) {
            if (row.get("url").asText().contains("/error/")) {
                int n = Integer.parseInt(row.get("url").asText().replaceAll(".*/", ""));
                assertEquals(n, row.get("meta").get("n").asInt(), "meta copied through the retry");
            }
        }

        Api.Answer second = api.post("/v1/jobs/" + retryId + "/retry", "");
        assertEquals(202, second.status());
        assertEquals(retryId, second.body().get("retry_of").asText());
        assertEquals(erroredUrls.size(), api.awaitTerminal(second.body().get("id").asText(), WAIT).get("urls_total").asInt());

        String clean = submit(api, job(3, i -> site.url("/page/" + i), Map.of()));
        api.awaitTerminal(clean, WAIT);
        Api.Answer nothing = api.post("/v1/jobs/" + clean + "/retry", "");
        assertEquals(422, nothing.status());
        assertEquals("nothing_to_retry", nothing.body().get("error").get("code").asText());
    }

    @Test
    void purgeRemovesATerminalJobAndRefusesALiveOne(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String live = submit(api, job(40, i -> site.url("/slow/" + i + "?ms=400"), Map.of("concurrency", 2)));
        Api.Answer refused = api.send(api.request("/v1/jobs/" + live + "?purge=true").DELETE());
        assertEquals(409, refused.status());
        assertEquals("job_active", refused.body().get("error").get("code").asText());

        String done = submit(api, job(3, i -> site.url("/page/" + i), Map.of()));
        JsonNode finished = api.awaitTerminal(done, WAIT);
        String link = finished.get("download_url").asText();
        assertEquals(3, Api.download(link).size());
        assertEquals(204, api.send(api.request("/v1/jobs/" + done + "?purge=true").DELETE()).status());
        assertEquals(404, api.get("/v1/jobs/" + done).status());
        assertTrue(assertThrowsAssertion(() -> Api.download(link)), "the result file is gone");
        assertEquals(204, api.send(api.request("/v1/jobs/" + done + "?purge=true").DELETE()).status(), "absent → 204");
        assertEquals(400, api.send(api.request("/v1/jobs/" + done + "?purge=yes").DELETE()).status());
        api.post("/v1/jobs/" + live + "/cancel", "");
        api.awaitTerminal(live, WAIT);
    }

    @Test
    void bulkPurgeRemovesOnlyJobsTerminalWhenReadEvenWhileOneRuns(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.GLOBEX_KEY);
        List<String> finished = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            finished.add(submit(api, job(2, n -> site.url("/page/" + n), Map.of())));
        }
        for (String id : finished) {
            api.awaitTerminal(id, WAIT);
        }
        String running = submit(api, job(20, i -> site.url("/slow/purge-" + i + "?ms=1000"), Map.of("concurrency", 1)));
        awaitStatus(api, running, "running");

        assertEquals(400, api.send(api.request("/v1/jobs").DELETE()).status(), "status is required");
        assertEquals(400, api.send(api.request("/v1/jobs?status=running").DELETE()).status());
        assertEquals(400, api.send(api.request("/v1/jobs?status=completed,active").DELETE()).status());
        Api.Answer removed = api.send(api.request("/v1/jobs?status=terminal").DELETE());
        assertEquals(200, removed.status(), removed.raw().body());
        assertTrue(removed.body().get("deleted").asLong() >= 3);
        for (String id : finished) {
            assertEquals(404, api.get("/v1/jobs/" + id).status());
        }
        assertEquals(200, api.get("/v1/jobs/" + running).status(), "a running job is never removed");
        JsonNode ended = api.awaitTerminal(running, WAIT);
        assertEquals("completed", ended.get("status").asText());
        assertEquals(200, api.get("/v1/jobs/" + running).status());
        Api.Answer second = api.send(api.request("/v1/jobs?status=completed&status=failed,cancelled").DELETE());
        assertEquals(200, second.status());
        assertEquals(404, api.get("/v1/jobs/" + running).status());
    }

    @Test
    void theReaperStopsAJobPastItsLifetimeKeepingItsFinishedRows(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        // About 30 s of work against a lifetime of 10 s: a margin for a slow machine to start fetching first.
        String id = submit(api, job(400, i -> site.url("/slow/reap-" + i + "?ms=300"),
                Map.of("concurrency", 4, "max_lifetime_s", 10)));
        JsonNode job = api.awaitTerminal(id, WAIT);
        assertEquals("cancelled", job.get("status").asText(), job.toString());
        assertEquals("lifetime_exceeded", job.get("failure").get("code").asText());
        List<JsonNode> rows = assertRowsMatchCounters(job, 400);
        long ok = rows.stream().filter(r -> r.get("status").asText().equals("ok")).count();
        assertTrue(ok > 0 && ok < 400, "ok " + ok + ", site hits " + site.hitsUnder("/slow/reap-"));
        rows.stream().filter(r -> r.get("status").asText().equals("skipped"))
                .forEach(r -> assertEquals("lifetime_exceeded", r.get("error").get("code").asText()));
    }

    @Test
    void maxErrorsStopsTheJobAsFailedWithItsPartialResult(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        for (Object maxErrors : List.of(5, "4%")) {
            String id = submit(api, job(200, i -> site.url("/error/" + i), Map.of("concurrency", 2, "max_errors", maxErrors)));
            JsonNode job = api.awaitTerminal(id, WAIT);
            assertEquals("failed", job.get("status").asText(), job.toString());
            assertEquals("max_errors_exceeded", job.get("failure").get("code").asText());
            List<JsonNode> rows = assertRowsMatchCounters(job, 200);
            long errors = job.get("urls_errored").asLong();
            assertTrue(errors > 5 && errors < 200, "errors " + errors);
            assertTrue(rows.stream().anyMatch(r -> r.get("error").path("code").asText().equals("max_errors_exceeded")));
        }
    }

    @Test
    void regexFilterAndMaxUrlsCountWhatTheyLeaveOut(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String id = submit(api, job(50, i -> site.url((i % 2 == 0 ? "/page/" : "/missing/") + i),
                Map.of("regex_filter", "/page/\\d+$", "max_urls", 10)));
        JsonNode job = api.awaitTerminal(id, WAIT);
        assertEquals(10, job.get("urls_total").asLong());
        assertEquals(40, job.get("urls_filtered").asLong());
        assertEquals(10, job.get("urls_ok").asLong());
        List<JsonNode> rows = Api.download(job.get("download_url").asText());
        assertEquals(List.of(2, 4, 6, 8, 10, 12, 14, 16, 18, 20), rows.stream().map(r -> r.get("line").asInt()).toList(),
                "rows keep their input line numbers");
        Api.Answer bad = api.post("/v1/jobs", job(1, i -> site.url("/page/1"), Map.of("regex_filter", "([a-z")));
        assertEquals(400, bad.status());
        assertEquals("regex_filter", bad.body().get("error").get("field").asText());
    }

    @Test
    void oldSpellingsOfLoopbackAreBlockedTargetsNotJustBadUrls(LocalRuntime runtime) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        List<String> urls = List.of("http://127.1/", "http://0x7f.1/", "http://2130706433/", "http://10.0.0.1/", "ftp://x/");
        String id = submit(api, job(urls.size(), i -> urls.get(i - 1), Map.of()));
        List<JsonNode> rows = assertRowsMatchCounters(api.awaitTerminal(id, WAIT), urls.size());
        assertEquals(List.of("blocked_target", "blocked_target", "blocked_target", "blocked_target", "invalid_url"),
                rows.stream().map(r -> r.get("error").get("code").asText()).toList());
    }

    @Test
    void aDryRunFetchesNothingAndSkipsEveryUsableUrl(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String id = submit(api, job(12, i -> i == 12 ? "not a url" : site.url("/page/dry-" + i), Map.of("dry_run", true)));
        JsonNode job = api.awaitTerminal(id, WAIT);
        assertEquals("completed", job.get("status").asText());
        assertTrue(job.get("dry_run").asBoolean());
        List<JsonNode> rows = assertRowsMatchCounters(job, 12);
        for (int i = 0; i < 11; i++) {
            assertEquals("skipped", rows.get(i).get("status").asText());
            assertEquals("dry_run", rows.get(i).get("error").get("code").asText());
        }
        assertEquals("invalid_url", rows.get(11).get("error").get("code").asText());
        assertEquals(0, site.hitsUnder("/page/dry-"), "a dry run fetches nothing");
    }

    @Test
    void metricsAddUpTheRowsAndResultsRedirectToTheFile(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String id = submit(api, job(120, i -> i % 10 == 0 ? site.url("/missing/" + i)
                : i % 15 == 0 ? site.url("/error/" + i) : site.url("/page/" + i), Map.of("concurrency", 8)));
        Api.Answer early = api.get("/v1/jobs/" + id + "/results");
        if (early.status() != 302) {
            assertEquals(409, early.status());
            assertEquals("job_active", early.body().get("error").get("code").asText());
        }
        JsonNode job = api.awaitTerminal(id, WAIT);
        List<JsonNode> rows = assertRowsMatchCounters(job, 120);

        JsonNode metrics = api.get("/v1/jobs/" + id + "/metrics").body();
        JsonNode totals = metrics.get("totals");
        for (String counter : List.of("urls_total", "urls_done", "urls_ok", "urls_errored", "urls_skipped", "urls_filtered")) {
            assertEquals(job.get(counter), totals.get(counter), counter);
        }
        assertEquals(rows.stream().mapToLong(r -> r.get("bytes").asLong()).sum(), totals.get("bytes_fetched").asLong());
        assertEquals(rows.stream().mapToLong(r -> r.get("attempts").asLong()).sum(), totals.get("attempts").asLong());
        Map<String, Long> classes = new HashMap<>();
        Map<String, Long> errors = new HashMap<>();
        for (JsonNode row : rows) {
            classes.merge(row.get("http_status").asInt() / 100 + "xx", 1L, Long::sum);
            if (row.get("status").asText().equals("error")) {
                errors.merge(row.get("error").get("code").asText(), 1L, Long::sum);
            }
        }
        for (String type : List.of("2xx", "3xx", "4xx", "5xx")) {
            assertEquals(classes.getOrDefault(type, 0L), metrics.get("http_status").get(type).asLong(), type);
        }
        assertEquals(errors, Json.MAPPER.convertValue(metrics.get("errors"), Map.class).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> (String) ((Map.Entry<?, ?>) e).getKey(),
                        e -> ((Number) ((Map.Entry<?, ?>) e).getValue()).longValue())));
        JsonNode fetch = metrics.get("fetch_ms");
        assertTrue(fetch.get("p50").asLong() <= fetch.get("p95").asLong());
        assertTrue(fetch.get("p95").asLong() <= fetch.get("max").asLong());
        long slowest = rows.stream().mapToLong(r -> r.get("elapsed_ms").asLong()).max().orElseThrow();
        assertTrue(fetch.get("max").asLong() >= slowest, "max " + fetch.get("max") + " vs slowest row " + slowest);

        Api.Answer redirect = api.get("/v1/jobs/" + id + "/results");
        assertEquals(302, redirect.status());
        String location = redirect.raw().headers().firstValue("location").orElseThrow();
        assertEquals(120, Api.download(location).size());
        assertEquals(404, api.get("/v1/jobs/job_00000000000000000000000000/results").status());
        assertEquals(404, api.get("/v1/jobs/job_00000000000000000000000000/metrics").status());
    }

    @Test
    void anIdempotencyKeyAnswersTheSameJobForTheSameBodyOnly(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String body = job(2, i -> site.url("/page/" + i), Map.of());
        String key = "order-" + System.nanoTime();
        Api.Answer first = api.send(api.request("/v1/jobs").header("Idempotency-Key", key)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        Api.Answer second = api.send(api.request("/v1/jobs").header("Idempotency-Key", key)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(202, first.status());
        assertEquals(202, second.status());
        assertEquals(first.body().get("id"), second.body().get("id"));
        Api.Answer other = api.send(api.request("/v1/jobs").header("Idempotency-Key", key)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.replace("lifecycle", "x"))));
        assertEquals(409, other.status());
        assertEquals("idempotency_conflict", other.body().get("error").get("code").asText());
        Api.Answer otherTenant = new Api(runtime.apiUrl(), LocalStackExtension.GLOBEX_KEY).send(api.request("/v1/jobs")
                .setHeader("Authorization", "Bearer " + LocalStackExtension.GLOBEX_KEY).header("Idempotency-Key", key)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(202, otherTenant.status());
        assertNotEquals(first.body().get("id"), otherTenant.body().get("id"), "keys are per tenant");
    }

    @Test
    void aRunningJobShowsAnEtaFromItsRecentRate(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String id = submit(api, job(400, i -> site.url("/slow/" + i + "?ms=100"), Map.of("concurrency", 8)));
        List<JsonNode> seen = new ArrayList<>();
        api.awaitTerminal(id, WAIT, seen);
        JsonNode withEta = seen.stream().filter(j -> j.get("status").asText().equals("running") && j.get("eta_s").isNumber())
                .findFirst().orElse(null);
        assertNotNull(withEta, "no eta_s while running");
        assertTrue(withEta.get("eta_s").asLong() >= 0);
        assertTrue(seen.getLast().get("eta_s").isNull(), "no eta_s once terminal");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static boolean assertThrowsAssertion(Call call) {
        try {
            call.run();
            return false;
        } catch (AssertionError e) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
