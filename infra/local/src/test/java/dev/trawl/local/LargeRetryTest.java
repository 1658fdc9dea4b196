package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A retry of a large job on the local stack (issue 11 item 5): 20,000 lines, a third of them ending in error. The API
 * answers {@code 202} with a queued job it has not counted (its policy does not even let it read the original's work
 * files); the planner reads the original's 200 chunk files and parts; the retry's result holds every errored line
 * once, in the original's order, with its meta, numbered by the retry's own lines, and nothing else.
 *
 * <p>The job is a dry run, so that it fetches nothing: its lines that are no usable URL end in error
 * ({@code invalid_url}), the others {@code skipped}; the retry, with the same settings, ends them in error again.
 */
@ExtendWith(LocalStackExtension.class)
class LargeRetryTest {
    private static final int LINES = 20_000;
    private static final Duration WAIT = Duration.ofMinutes(4);

    private static boolean errs(int line) {
        return line % 3 == 0 || line % 7 == 0;
    }

    /** Line {@code n}: a URL, or (those that end in error) an entry that is no usable URL; every one with its meta. */
    private static String line(TestSite site, int n) {
        ObjectNode entry = Json.object();
        entry.put("url", errs(n) ? "not a url " + n : site.url("/page/" + n));
        entry.putObject("meta").put("n", n);
        if (n % 2 == 0) {
            entry.put("timeout_ms", 4_000);
        }
        return Json.write(entry);
    }

    private static String upload(Api api, TestSite site) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int n = 1; n <= LINES; n++) {
            text.append(line(site, n)).append('\n');
        }
        Api.Answer created = api.send(api.request("/v1/uploads").header("content-type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(text.toString())));
        assertEquals(201, created.status(), created.raw().body());
        String id = created.body().get("id").asText();
        Api.await("upload " + id + " checked", WAIT, () -> api.get("/v1/uploads/" + id).body(),
                upload -> upload.get("status").asText().equals("ready"));
        return id;
    }

    @Test
    void aRetryOfTwentyThousandLinesIsQueuedAtOnceAndPlannedFromTheOriginalsParts(LocalRuntime runtime, TestSite site)
            throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        ObjectNode body = Json.object();
        body.put("name", "large retry");
        body.putObject("input").put("upload_id", upload(api, site));
        body.put("dry_run", true);
        body.put("concurrency", 64);
        body.putObject("output").put("format", "ndjson").put("gzip", true);
        Api.Answer created = api.post("/v1/jobs", Json.write(body));
        assertEquals(202, created.status(), created.raw().body());
        String id = created.body().get("id").asText();
        JsonNode original = api.awaitTerminal(id, WAIT);
        assertEquals("completed", original.get("status").asText(), original.toString());
        List<Integer> errored = new ArrayList<>();
        for (int n = 1; n <= LINES; n++) {
            if (errs(n)) {
                errored.add(n);
            }
        }
        assertEquals(errored.size(), original.get("urls_errored").asInt(), original.toString());

        Api.Answer retried = api.send(api.request("/v1/jobs/" + id + "/retry").header("idempotency-key", "large-" + id)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, retried.status(), retried.raw().body());
        JsonNode accepted = retried.body();
        String retryId = accepted.get("id").asText();
        assertEquals(id, accepted.get("retry_of").asText());
        assertEquals("queued", accepted.get("status").asText());
        assertTrue(accepted.get("urls_total").isNull(), "the request does not count the errored lines: " + accepted);
        assertEquals("retry", accepted.get("input").get("type").asText());
        assertEquals(id, accepted.get("input").get("job_id").asText());
        Api.Answer replay = api.send(api.request("/v1/jobs/" + id + "/retry").header("idempotency-key", "large-" + id)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(retryId, replay.body().get("id").asText(), "one retry under its Idempotency-Key");

        JsonNode retry = api.awaitTerminal(retryId, WAIT);
        assertEquals("completed", retry.get("status").asText(), retry.toString());
        assertEquals(errored.size(), retry.get("urls_total").asInt());
        List<JsonNode> rows = ChaosJob.download(retry);
        assertEquals(errored.size(), rows.size(), "every errored line once, nothing else");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            int n = errored.get(i);
            assertEquals(i + 1, row.get("line").asInt(), "numbered by the retry's own lines");
            assertEquals("not a url " + n, row.get("url").asText(), "in the original's order");
            assertEquals(n, row.get("meta").get("n").asInt(), "meta carried over");
            assertEquals("error", row.get("status").asText());
        }
        assertEquals(errored.size(), retry.get("urls_errored").asInt());
    }
}
