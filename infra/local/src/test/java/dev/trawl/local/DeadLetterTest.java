package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import dev.trawl.local.faults.Faults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A poison chunk: its message fails on every delivery, goes to the chunk dead-letter queue after the redrive
 * policy's five receives, and the dead-letter function turns its lines into {@code chunk_failed} rows; the job's
 * other chunks are fetched as usual and the job finishes with every line, in order.
 */
@ExtendWith(LocalStackExtension.class)
class DeadLetterTest {

    @Test
    void aChunkThatFailsOnEveryDeliveryEndsAsChunkFailedRowsAndTheJobFinishes(LocalRuntime runtime, TestSite site)
            throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        AtomicReference<String> jobId = new AtomicReference<>("job id not known yet");
        // One group (concurrency 16), so chunk 1 is delivered only after chunk 0's hundred slow pages: the job id is
        // known by then.
        Faults.of(runtime).poison("WorkerFunction", body -> body.contains(jobId.get()) && body.contains("\"chunk\":1,"));
        Faults.of(runtime).failedMessagesReturnAfter(Duration.ofSeconds(1));
        try {
            ObjectNode body = Json.object();
            var urls = body.putObject("input").putArray("urls");
            for (int i = 1; i <= 250; i++) {
                urls.add(site.url("/slow/poison-" + i + "?ms=200"));
            }
            Api.Answer created = api.post("/v1/jobs", Json.write(body));
            assertEquals(202, created.status(), created.raw().body());
            jobId.set(created.body().get("id").asText());

            JsonNode job = api.awaitTerminal(jobId.get(), Duration.ofMinutes(2));

            assertEquals("completed", job.get("status").asText(), job.toString());
            assertEquals(150, job.get("urls_ok").asInt());
            assertEquals(100, job.get("urls_errored").asInt());
            List<JsonNode> rows = Api.download(job.get("download_url").asText());
            assertEquals(250, rows.size());
            for (int i = 0; i < 250; i++) {
                JsonNode row = rows.get(i);
                assertEquals(i + 1, row.get("line").asInt());
                boolean dead = i >= 100 && i < 200;
                assertEquals(dead ? "error" : "ok", row.get("status").asText(), "line " + (i + 1));
                if (dead) {
                    assertEquals("chunk_failed", row.get("error").get("code").asText());
                    assertEquals(site.url("/slow/poison-" + (i + 1) + "?ms=200"), row.get("url").asText());
                }
            }
            for (int i = 1; i <= 250; i++) {
                int hits = site.hits("/slow/poison-" + i);
                assertTrue(i > 100 && i <= 200 ? hits == 0 : hits >= 1, "line " + i + " fetched " + hits + " times");
            }
        } finally {
            Faults.of(runtime).poison(null, body -> false);
            Faults.of(runtime).failedMessagesReturnAfter(null);
        }
    }
}
