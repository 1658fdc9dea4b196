package dev.trawl.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import dev.trawl.local.Api;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.TestSite;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job of 1,000 URLs on LocalStack, over real HTTP: planned, fetched in chunks through LocalStack's FIFO queue,
 * counted in its DynamoDB, finalized into its S3, and read back through the download link as one row per line, in
 * order.
 */
@NeedsDocker
class ThousandUrlJobTest {
    private static final int URLS = 1_000;

    /** What line {@code i} (1-based) asks for; null for a line that is no URL. */
    private static String path(int i) {
        if (i % 125 == 1) {
            return null;
        }
        return i % 10 == 3 ? "/missing/" + i : "/page/" + i;
    }

    private static String url(TestSite site, int i) {
        return path(i) == null ? "not a url " + i : site.url(path(i));
    }

    @Test
    void aThousandUrlsEndAsAThousandRowsInOrderWithExactCounters(LocalRuntime runtime, TestSite site) throws Exception {
        ObjectNode body = Json.object();
        body.put("name", "localstack-1000");
        ArrayNode urls = body.putObject("input").putArray("urls");
        for (int i = 1; i <= URLS; i++) {
            urls.add(url(site, i));
        }
        body.putObject("defaults").put("timeout_ms", 15_000).put("retries", 0);
        body.put("concurrency", 64);
        Api api = new Api(runtime.apiUrl(), OnLocalStack.ACME_KEY);
        Api.Answer created = api.post("/v1/jobs", Json.write(body));
        assertEquals(202, created.status(), created.raw().body());

        JsonNode job = api.awaitTerminal(created.body().get("id").asText(), Duration.ofMinutes(5));
        assertEquals("completed", job.get("status").asText(), job.toString());
        List<JsonNode> rows = Api.download(job.get("download_url").asText());
        assertEquals(URLS, rows.size());
        long ok = 0;
        for (int i = 1; i <= URLS; i++) {
            JsonNode row = rows.get(i - 1);
            String where = "line " + i + ": " + row;
            assertEquals(i, row.get("line").asInt(), where);
            assertEquals(url(site, i), row.get("url").asText(), where);
            String path = path(i);
            if (path == null) {
                assertEquals("invalid_url", row.get("error").get("code").asText(), where);
            } else if (path.startsWith("/missing/")) {
                assertEquals("http_error", row.get("error").get("code").asText(), where);
                assertEquals(404, row.get("http_status").asInt(), where);
            } else {
                assertEquals("ok", row.get("status").asText(), where);
                assertEquals(200, row.get("http_status").asInt(), where);
                assertTrue(row.get("bytes").asLong() > 0, where);
                ok++;
            }
        }
        assertEquals(URLS, job.get("urls_total").asLong());
        assertEquals(URLS, job.get("urls_done").asLong());
        assertEquals(ok, job.get("urls_ok").asLong());
        assertEquals(URLS - ok, job.get("urls_errored").asLong());
        assertEquals(0, job.get("urls_skipped").asLong());
        // Ten chunks of the template's 100 went through LocalStack's FIFO queue, each counted once.
        assertEquals(10, job.get("phases").get("fetch").get("chunks_done").asInt());
    }
}
