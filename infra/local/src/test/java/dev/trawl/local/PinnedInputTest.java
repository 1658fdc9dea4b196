package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The input is pinned, through the real API, S3 (If-Match on S3Proxy) and S3's notifications: a second PUT to a
 * ready upload's still valid signed link does not change what the upload is, and a job from it fails
 * {@code input_changed} instead of mixing the two files' lines.
 */
@ExtendWith(LocalStackExtension.class)
class PinnedInputTest {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static byte[] file(TestSite site, String prefix) {
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            urls.add(site.url("/page/" + prefix + "-" + i));
        }
        return (String.join("\n", urls) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void put(String link, byte[] body) throws Exception {
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(link))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
    }

    private static JsonNode awaitReady(Api api, String id) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode upload = api.get("/v1/uploads/" + id).body();
            if (!upload.get("status").asText().equals("pending") && !upload.get("status").asText().equals("processing")) {
                return upload;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("upload " + id + " was never checked");
    }

    @Test
    void aFileWrittenAgainThroughAReadyUploadsLinkFailsItsJobInputChanged(LocalRuntime runtime, TestSite site)
            throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        byte[] first = file(site, "first");
        byte[] second = file(site, "other");
        assertEquals(first.length, second.length, "the link takes one size");
        Api.Answer signed = api.post("/v1/uploads", "{\"filename\":\"urls.txt\",\"size\":" + first.length + "}");
        assertEquals(201, signed.status(), signed.raw().body());
        String id = signed.body().get("id").asText();
        String link = signed.body().get("upload_url").asText();
        put(link, first);
        JsonNode ready = awaitReady(api, id);
        assertEquals("ready", ready.get("status").asText(), ready.toString());

        // the link is valid for an hour: another file goes to the same object, and S3 notifies again
        put(link, second);
        Thread.sleep(2_000);
        assertEquals(ready, api.get("/v1/uploads/" + id).body(), "the upload is still what was checked");

        Api.Answer created = api.post("/v1/jobs", "{\"input\":{\"upload_id\":\"" + id + "\"}}");
        assertEquals(202, created.status(), created.raw().body());
        JsonNode job = api.awaitTerminal(created.body().get("id").asText(), WAIT);
        assertEquals("failed", job.get("status").asText(), job.toString());
        assertEquals("input_changed", job.at("/failure/code").asText(), job.toString());
        assertTrue(job.at("/failure/message").asText().contains("written again"), job.toString());
        assertEquals(0, job.at("/progress/urls_done").asInt(0), "no line of either file was fetched");
    }
}
