package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import dev.trawl.core.webhook.WebhookSignature;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One chaos job from start to end, as a careful client runs it: created with an Idempotency-Key (and created again
 * with it when the API answers an error), polled until terminal (an error answer is polled again), its result parts
 * downloaded, checked and joined; then principle 1 is asserted: one row per input line, in order, each what its line
 * asked for, counters equal to the rows, the job terminal, and one webhook event id for the job.
 *
 * <p>Line {@code i} (1-based) of a job named {@code run}: {@code not a url i} when {@code i % 250 == 7} (an
 * {@code invalid_url} row, nothing fetched); {@code /missing/run-i} (404) when {@code i % 10 == 3};
 * {@code /slow/run-i?ms=300} when {@code i % 40 == 0}, so that chunks take a moment; {@code /page/run-i} otherwise.
 */
final class ChaosJob {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    static final int CHUNK_SIZE = 100;

    private final Api api;
    private final TestSite site;
    private final WebhookReceiver hooks;
    private final String run;
    private final int urls;
    private Set<Integer> deadChunks = Set.of();
    private int apiErrors;
    private String uploadId;

    /** What a finished job came to. */
    record Outcome(String id, JsonNode job, List<JsonNode> rows, List<JsonNode> seen, Duration took) {
    }

    ChaosJob(Api api, TestSite site, WebhookReceiver hooks, String run, int urls) {
        this.api = api;
        this.site = site;
        this.hooks = hooks;
        this.run = run;
        this.urls = urls;
    }

    /** Chunks (0-based) whose lines must end as {@code chunk_failed} rows. */
    ChaosJob deadChunks(Set<Integer> chunks) {
        this.deadChunks = Set.copyOf(chunks);
        return this;
    }

    /** Answers the API gave that were errors (faults in its own calls), retried. */
    int apiErrors() {
        return apiErrors;
    }

    int chunks() {
        return (urls + CHUNK_SIZE - 1) / CHUNK_SIZE;
    }

    String url(int line) {
        if (line % 250 == 7) {
            return "not a url " + line;
        }
        if (line % 10 == 3) {
            return site.url("/missing/" + run + "-" + line);
        }
        if (line % 40 == 0) {
            return site.url("/slow/" + run + "-" + line + "?ms=300");
        }
        return site.url("/page/" + run + "-" + line);
    }

    /** Lines that reach the site (all but the invalid ones). */
    int fetchable() {
        int count = 0;
        for (int line = 1; line <= urls; line++) {
            count += line % 250 == 7 ? 0 : 1;
        }
        return count;
    }

    /** Every request the site served for this job, retries and duplicates included. */
    int siteHits() {
        return site.hitsUnder("/page/" + run + "-") + site.hitsUnder("/missing/" + run + "-")
                + site.hitsUnder("/slow/" + run + "-");
    }

    private boolean dead(int line) {
        return deadChunks.contains((line - 1) / CHUNK_SIZE);
    }

    /**
     * Uploads the job's input (inline input takes at most 1,000 URLs) as a text file and waits until it is checked;
     * done before any fault is switched on.
     */
    ChaosJob upload(Duration timeout) throws IOException, InterruptedException {
        StringBuilder text = new StringBuilder();
        for (int line = 1; line <= urls; line++) {
            text.append(url(line)).append('\n');
        }
        Api.Answer created = api.send(api.request("/v1/uploads").header("content-type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(text.toString())));
        assertEquals(201, created.status(), created.raw().body());
        String id = created.body().get("id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode upload = get("/v1/uploads/" + id, deadline);
            String status = upload.get("status").asText();
            if (status.equals("ready")) {
                assertEquals(urls, upload.get("url_count").asInt(), upload.toString());
                uploadId = id;
                return this;
            }
            assertTrue(status.equals("pending") || status.equals("processing"), upload.toString());
            if (System.nanoTime() > deadline) {
                throw new AssertionError("upload " + id + " was never checked: " + upload);
            }
            Thread.sleep(100);
        }
    }

    String body() {
        if (uploadId == null) {
            throw new IllegalStateException("upload the input first");
        }
        ObjectNode job = Json.object();
        job.put("name", "chaos " + run);
        job.putObject("input").put("upload_id", uploadId);
        job.putObject("defaults").put("timeout_ms", 15_000).put("retries", 0).put("per_host_concurrency", 32);
        job.put("concurrency", 64);
        job.putObject("output").put("format", "ndjson").put("gzip", true);
        job.put("webhook", hooks.url(run));
        return Json.write(job);
    }

    /** Creates the job (retrying with the same Idempotency-Key), returns its id and webhook secret. */
    String[] create(Duration timeout) throws IOException, InterruptedException {
        String key = "chaos-" + run + "-" + UUID.randomUUID();
        String body = body();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Api.Answer created = api.send(api.request("/v1/jobs").header("content-type", "application/json")
                    .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)));
            if (created.status() == 202 || created.status() == 200 || created.status() == 201) {
                JsonNode secret = created.body().get("webhook_secret");
                return new String[]{created.body().get("id").asText(), secret == null ? null : secret.asText()};
            }
            apiErrors++;
            assertTrue(created.status() >= 500 || created.status() == 401 || created.status() == 403,
                    "creating the job answered " + created.status() + ": " + created.raw().body());
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the job could not be created in " + timeout + ": " + created.raw().body());
            }
            Thread.sleep(200);
        }
    }

    /** GET that asks again while the API answers an error, until {@code deadline}. */
    JsonNode get(String path, long deadline) throws IOException, InterruptedException {
        while (true) {
            Api.Answer answer = api.get(path);
            if (answer.status() == 200) {
                return answer.body();
            }
            apiErrors++;
            assertTrue(answer.status() >= 500 || answer.status() == 401 || answer.status() == 403,
                    "GET " + path + " answered " + answer.status() + ": " + answer.raw().body());
            if (System.nanoTime() > deadline) {
                throw new AssertionError("GET " + path + " still answered " + answer.status() + ": " + answer.raw().body());
            }
            Thread.sleep(200);
        }
    }

    /** Runs the job to its end and asserts principle 1 and the webhook; returns what it came to. */
    Outcome runAndCheck(Duration timeout) throws Exception {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        String[] created = create(timeout);
        String id = created[0];
        List<JsonNode> seen = new ArrayList<>();
        JsonNode job;
        while (true) {
            job = get("/v1/jobs/" + id, deadline);
            seen.add(job);
            String status = job.get("status").asText();
            if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " (" + run + ") still " + status + " after " + timeout + ": " + job);
            }
            Thread.sleep(250);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals("completed", job.get("status").asText(), run + ": " + job);
        assertProgressOnlyMovesForward(seen);
        List<JsonNode> rows = download(job);
        assertRows(job, rows);
        assertWebhook(id, created[1], job, deadline);
        return new Outcome(id, job, rows, seen, took);
    }

    /** Every part through its signed link, checked against its bytes, sha256 and rows, decompressed and joined. */
    static List<JsonNode> download(JsonNode job) throws IOException, InterruptedException {
        List<JsonNode> rows = new ArrayList<>();
        JsonNode parts = job.get("result_parts");
        assertNotNull(parts, job.toString());
        long declared = 0;
        for (JsonNode part : parts) {
            // The link goes through the API, whose calls may fail under the faults as any API call may: a 5xx is asked
            // again, as a client would.
            HttpResponse<byte[]> response;
            int attempts = 0;
            do {
                if (attempts > 0) {
                    Thread.sleep(200);
                }
                response = HTTP.send(HttpRequest.newBuilder(URI.create(part.get("url").asText())).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } while (response.statusCode() >= 500 && ++attempts < 50);
            assertEquals(200, response.statusCode(), "part " + part);
            byte[] bytes = response.body();
            assertEquals(part.get("bytes").asLong(), bytes.length, "bytes of " + part.get("key"));
            try {
                assertEquals(part.get("sha256").asText(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), "sha256 of " + part.get("key"));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            String text = new String(new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes(), StandardCharsets.UTF_8);
            long inPart = 0;
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    rows.add(Json.read(line, JsonNode.class));
                    inPart++;
                }
            }
            assertEquals(part.get("rows").asLong(), inPart, "rows of " + part.get("key"));
            declared += inPart;
        }
        assertEquals(declared, rows.size());
        return rows;
    }

    /** One row per line, in order, each what its line asked for; counters equal to the rows and to what was asked. */
    void assertRows(JsonNode job, List<JsonNode> rows) {
        assertEquals(urls, rows.size(), run + ": rows");
        long ok = 0;
        long errored = 0;
        long skipped = 0;
        long expectOk = 0;
        long expectErrored = 0;
        for (int line = 1; line <= urls; line++) {
            JsonNode row = rows.get(line - 1);
            String where = run + " line " + line + ": " + row;
            assertEquals(line, row.get("line").asInt(), where);
            assertEquals(url(line), row.get("url").asText(), where);
            switch (row.get("status").asText()) {
                case "ok" -> ok++;
                case "error" -> errored++;
                case "skipped" -> skipped++;
                default -> throw new AssertionError("unknown status: " + where);
            }
            if (dead(line)) {
                assertEquals("error", row.get("status").asText(), where);
                assertEquals("chunk_failed", row.get("error").get("code").asText(), where);
                expectErrored++;
            } else if (line % 250 == 7) {
                assertEquals("error", row.get("status").asText(), where);
                assertEquals("invalid_url", row.get("error").get("code").asText(), where);
                assertTrue(row.get("http_status").isNull(), where);
                assertEquals(0, row.get("attempts").asInt(), where);
                expectErrored++;
            } else if (line % 10 == 3) {
                assertEquals("error", row.get("status").asText(), where);
                assertEquals("http_error", row.get("error").get("code").asText(), where);
                assertEquals(404, row.get("http_status").asInt(), where);
                assertEquals(1, row.get("attempts").asInt(), where);
                expectErrored++;
            } else {
                assertEquals("ok", row.get("status").asText(), where);
                assertTrue(row.get("error").isNull(), where);
                assertEquals(200, row.get("http_status").asInt(), where);
                assertEquals(1, row.get("attempts").asInt(), where);
                assertTrue(row.get("bytes").asLong() > 0, where);
                expectOk++;
            }
        }
        assertEquals(expectOk, ok, run + ": ok rows");
        assertEquals(expectErrored, errored, run + ": error rows");
        assertEquals(0, skipped, run + ": skipped rows");
        String counters = run + ": " + job;
        assertEquals(urls, job.get("urls_total").asLong(), counters);
        assertEquals(urls, job.get("urls_done").asLong(), counters);
        assertEquals(ok, job.get("urls_ok").asLong(), counters);
        assertEquals(errored, job.get("urls_errored").asLong(), counters);
        assertEquals(skipped, job.get("urls_skipped").asLong(), counters);
        assertEquals(0, job.get("urls_filtered").asLong(), counters);
        assertEquals(1.0, job.get("percent_complete").asDouble(), counters);
        assertEquals(chunks(), job.at("/phases/plan/chunks_total").asInt(), counters);
        assertEquals(chunks(), job.at("/phases/fetch/chunks_done").asInt(), counters);
        for (String phase : List.of("plan", "fetch", "finalize")) {
            assertEquals("done", job.at("/phases/" + phase + "/state").asText(), phase + " of " + counters);
        }
        assertTrue(job.get("failure").isNull(), counters);
        assertNotNull(job.get("completed_at").asText(null), counters);
    }

    /** Nothing a job shows while it runs ever goes back, and it never shows more done than it holds. */
    private void assertProgressOnlyMovesForward(List<JsonNode> seen) {
        List<String> order = List.of("queued", "running", "completed");
        for (int i = 1; i < seen.size(); i++) {
            JsonNode before = seen.get(i - 1);
            JsonNode after = seen.get(i);
            String where = run + ": " + before + " then " + after;
            assertTrue(order.indexOf(after.get("status").asText()) >= order.indexOf(before.get("status").asText()), where);
            assertTrue(after.get("urls_done").asLong() >= before.get("urls_done").asLong(), where);
            assertTrue(after.get("urls_done").asLong() <= urls, where);
            assertEquals(after.get("urls_done").asLong(), after.get("urls_ok").asLong() + after.get("urls_errored").asLong()
                    + after.get("urls_skipped").asLong(), where);
        }
    }

    /**
     * The receiver got the job's terminal event, possibly in several POSTs, all with the one event id of the job,
     * signed with its secret, saying the job completed with its counters; the job's webhook deliveries name that id
     * alone and show it delivered.
     */
    private void assertWebhook(String id, String secret, JsonNode job, long deadline) throws Exception {
        String eventId = "evt_" + id.substring("job_".length());
        List<WebhookReceiver.Received> received;
        JsonNode deliveries;
        while (true) {
            received = hooks.received(run);
            deliveries = get("/v1/jobs/" + id + "/webhook-deliveries", deadline).get("deliveries");
            boolean answered = received.stream().anyMatch(r -> r.answered() / 100 == 2);
            boolean recorded = false;
            for (JsonNode delivery : deliveries) {
                recorded |= delivery.get("error").isNull() && delivery.get("http_status").asInt() / 100 == 2;
            }
            if (answered && recorded) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(run + ": webhook not delivered; the receiver answered "
                        + received.stream().map(r -> r.eventId() + " " + r.answered()).toList() + ", deliveries " + deliveries);
            }
            Thread.sleep(250);
        }
        Set<String> ids = new TreeSet<>();
        for (WebhookReceiver.Received post : received) {
            ids.add(post.eventId());
            assertEquals("job.completed", post.eventType(), run);
            JsonNode event = Json.read(post.body(), JsonNode.class);
            assertEquals(post.eventId(), event.get("id").asText(), run);
            assertEquals(id, event.at("/data/id").asText(), run);
            assertEquals("completed", event.at("/data/status").asText(), run);
            for (String counter : List.of("urls_total", "urls_done", "urls_ok", "urls_errored", "urls_skipped")) {
                assertEquals(job.get(counter), event.at("/data/" + counter), run + ": " + counter + " in the event");
            }
            if (secret != null) {
                assertTrue(WebhookSignature.verify(secret, post.signature(), post.body(), Instant.now(), Duration.ofMinutes(5)),
                        run + ": signature");
            }
        }
        assertEquals(Set.of(eventId), ids, run + ": event ids received");
        Set<String> recordedIds = new TreeSet<>();
        deliveries.forEach(d -> recordedIds.add(d.get("event_id").asText()));
        assertEquals(Set.of(eventId), recordedIds, run + ": event ids of GET …/webhook-deliveries");
        long answeredOk = received.stream().filter(r -> r.answered() / 100 == 2).count();
        long recordedOk = 0;
        for (JsonNode delivery : deliveries) {
            recordedOk += delivery.get("error").isNull() ? 1 : 0;
        }
        // A recorded delivery was a POST the receiver saw; a POST may go unrecorded when recording it failed.
        assertTrue(recordedOk <= answeredOk, run + ": deliveries " + deliveries + " vs received " + received);
        assertFalse(received.isEmpty());
    }
}
