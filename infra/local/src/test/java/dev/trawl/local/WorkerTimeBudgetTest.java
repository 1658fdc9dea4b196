package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chunk with more work than its worker's Lambda time-out: on a stack of its own whose template gives the worker
 * 10 s, one chunk of 60 half-second pages at a concurrency of 2 (15 s of fetching) must be done in several
 * invocations, each committing what it finished and queueing the rest. An invocation that overran would time out
 * and its chunk would wait out the queue's visibility time-out (30 min), so the job finishing at all shows it.
 */
class WorkerTimeBudgetTest {
    private static final int URLS = 60;
    private static OwnStack stack;
    private static TestSite site;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        stack = OwnStack.start("budget", Map.of("WorkerTimeout", "10", "ChunkSize", "100"));
        site = stack.site;
        api = stack.api;
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aChunkLongerThanTheWorkersTimeOutEndsWithEveryLineOnceInOrder() throws Exception {
        ObjectNode body = Json.object();
        var urls = body.putObject("input").putArray("urls");
        for (int i = 1; i <= URLS; i++) {
            urls.add(site.url("/slow/budget-" + i + "?ms=500"));
        }
        body.put("concurrency", 2);
        body.putObject("defaults").put("timeout_ms", 1_000).put("retries", 0);
        Api.Answer created = api.post("/v1/jobs", Json.write(body));
        assertEquals(202, created.status(), created.raw().body());

        JsonNode job = api.awaitTerminal(created.body().get("id").asText(), Duration.ofMinutes(2));

        assertEquals("completed", job.get("status").asText(), job.toString());
        assertEquals(URLS, job.get("urls_ok").asInt(), job.toString());
        assertEquals(URLS, job.get("urls_done").asInt());
        assertEquals(1, job.at("/phases/plan/chunks_total").asInt(), "one chunk, done in segments");
        assertEquals(1, job.at("/phases/fetch/chunks_done").asInt());
        List<JsonNode> rows = Api.download(job.get("download_url").asText());
        assertEquals(URLS, rows.size());
        for (int i = 0; i < URLS; i++) {
            assertEquals(i + 1, rows.get(i).get("line").asInt());
            assertEquals(site.url("/slow/budget-" + (i + 1) + "?ms=500"), rows.get(i).get("url").asText());
            assertEquals("ok", rows.get(i).get("status").asText());
            assertTrue(site.hits("/slow/budget-" + (i + 1)) >= 1);
        }
        // Lines finished past the first line an invocation could not start are fetched again by the continuation
        // (a segment is a run of lines): some extra fetches, never a second row.
        int hits = site.hitsUnder("/slow/budget-");
        assertTrue(hits >= URLS && hits < 2 * URLS, "hits " + hits);
    }
}
