package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import dev.trawl.core.webhook.WebhookSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks end to end on the local stack (retries wait 1 s, 2 s, … there): the event a job's end sends, signed
 * with the secret only the create (and retry) answer shows, retried with the same event id, every attempt
 * listed, redelivered on request, and refused targets not retried. The receiver is the test site's {@code /hook/…},
 * since the local target policy allows only the site's host names.
 */
@ExtendWith(LocalStackExtension.class)
class WebhookTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** What openapi.yaml promises; every answer and event here is checked against it. */
    private static final OpenApiSchemas OPENAPI = OpenApiSchemas.get();

    /** A path no other test (or earlier run of this one in the same JVM) receives on. */
    private static String hookPath(String name) {
        return "/hook/" + name + "-" + UUID.randomUUID();
    }

    private static String job(List<String> urls, String webhook, int concurrency) {
        ObjectNode body = Json.object();
        body.put("name", "webhook");
        ArrayNode list = body.putObject("input").putArray("urls");
        urls.forEach(list::add);
        body.putObject("defaults").put("timeout_ms", 5_000).put("retries", 0);
        body.put("concurrency", concurrency);
        if (webhook != null) {
            body.put("webhook", webhook);
        }
        return Json.write(body);
    }

    private static Api.Answer create(Api api, String body) throws Exception {
        Api.Answer created = api.post("/v1/jobs", body);
        assertEquals(202, created.status(), created.raw().body());
        return created;
    }

    /** Polls until {@code value} satisfies {@code done}; fails with the last value after {@link #WAIT}. */
    private static <T> T await(String what, Callable<T> value, Predicate<T> done) throws Exception {
        return Api.await(what, WAIT, value, done);
    }

    private static List<TestSite.HookRequest> awaitRequests(TestSite site, String path, int count) throws Exception {
        return await(count + " POSTs to " + path, () -> site.hookRequests(path), r -> r.size() >= count);
    }

    private static JsonNode awaitDeliveries(Api api, String jobId, int count) throws Exception {
        return await(count + " deliveries of " + jobId, () -> {
            Api.Answer answer = api.get("/v1/jobs/" + jobId + "/webhook-deliveries");
            assertEquals(200, answer.status(), answer.raw().body());
            OPENAPI.assertValid("/components/schemas/WebhookDeliveries", answer.body());
            return answer.body().get("deliveries");
        }, d -> d.size() >= count);
    }

    private static JsonNode awaitStatus(Api api, String id, String status) throws Exception {
        return await("job " + id + " " + status, () -> api.get("/v1/jobs/" + id).body(),
                job -> job.get("status").asText().equals(status));
    }

    /** A request as a receiver checks it: signed with {@code secret}, its headers agreeing with its body. */
    private static JsonNode assertSignedEvent(TestSite.HookRequest request, String secret, String type, String jobId) {
        assertEquals("POST", request.method());
        assertTrue(request.header("Content-Type").startsWith("application/json"), request.headers().toString());
        assertEquals(type, request.header("Trawl-Event"));
        String signature = request.header("Trawl-Signature");
        assertNotNull(signature, request.headers().toString());
        assertTrue(signature.matches("t=\\d+,v1=[0-9a-f]{64}"), signature);
        assertTrue(WebhookSignature.verify(secret, signature, request.body(), Instant.now(), WebhookSignature.DEFAULT_TOLERANCE),
                "the signature does not verify: " + signature + " " + request.body());
        JsonNode event = Json.read(request.body(), JsonNode.class);
        OPENAPI.assertValid("/components/schemas/WebhookEvent", event);
        assertEquals(request.header("Trawl-Delivery"), event.get("id").asText());
        assertTrue(event.get("id").asText().matches("evt_[0-9A-Z]{26}"), event.toString());
        assertEquals(type, event.get("type").asText());
        assertEquals(jobId, event.get("data").get("id").asText());
        assertEquals(type.substring("job.".length()), event.get("data").get("status").asText());
        assertEquals(event.get("data").get("completed_at"), event.get("created_at"), "the event is as old as the job's end");
        assertFalse(event.get("data").has("webhook_secret"), "the event never carries the secret");
        return event;
    }

    @Test
    void aFailingReceiverGetsTheSameSignedEventUntilItAcceptsItAndARedeliveryOnceMore(LocalRuntime runtime, TestSite site)
            throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String path = hookPath("retried");
        site.hookAnswers(path, 500, 503);
        Api.Answer created = create(api, job(List.of(site.url("/page/webhook-1"), site.url("/page/webhook-2")),
                site.url(path), 2));
        String id = created.body().get("id").asText();
        String secret = created.body().path("webhook_secret").asText();
        assertTrue(secret.matches("whsec_[A-Za-z0-9_-]{32}"), created.raw().body());
        OPENAPI.assertValid("/components/schemas/JobCreated", created.body());
        assertEquals("/v1/jobs/" + id, created.raw().headers().firstValue("location").orElseThrow());

        JsonNode job = api.awaitTerminal(id, WAIT);
        assertEquals("completed", job.get("status").asText());
        assertFalse(job.has("webhook_secret"), "GET shows the secret: " + job);
        OPENAPI.assertValid("/components/schemas/Job", job);
        assertFalse(api.get("/v1/jobs?limit=5").body().toString().contains(secret), "the list shows the secret");

        List<TestSite.HookRequest> received = awaitRequests(site, path, 3);
        String eventId = received.getFirst().header("Trawl-Delivery");
        assertEquals("evt_" + id.substring("job_".length()), eventId);
        for (TestSite.HookRequest request : received) {
            assertEquals(eventId, request.header("Trawl-Delivery"));
            JsonNode event = assertSignedEvent(request, secret, "job.completed", id);
            assertEquals(2, event.get("data").get("urls_ok").asInt());
            // The event's links download, with no key, whatever the webhook function may read itself (nothing).
            assertEquals(2, Api.download(event.at("/data/download_url").asText()).size());
        }
        // retries wait base × 2^(attempt−1) less up to 10 %: 1 s then 2 s here
        assertTrue(Duration.between(received.get(0).at(), received.get(1).at()).toMillis() >= 850, received.toString());
        assertTrue(Duration.between(received.get(1).at(), received.get(2).at()).toMillis() >= 1_750, received.toString());

        TestSite.HookRequest accepted = received.get(2);
        String signature = accepted.header("Trawl-Signature");
        String body = accepted.body();
        int i = body.indexOf("\"urls_ok\":2");
        assertTrue(i > 0, body);
        String tampered = body.substring(0, i) + "\"urls_ok\":3" + body.substring(i + "\"urls_ok\":2".length());
        assertEquals(body.length(), tampered.length());
        Instant now = Instant.now();
        assertFalse(WebhookSignature.verify(secret, signature, tampered, now, WebhookSignature.DEFAULT_TOLERANCE), "tampered body");
        assertFalse(WebhookSignature.verify("whsec_" + "A".repeat(32), signature, body, now, WebhookSignature.DEFAULT_TOLERANCE),
                "wrong secret");
        assertFalse(WebhookSignature.verify(secret, signature, body, now.plus(Duration.ofMinutes(10)),
                WebhookSignature.DEFAULT_TOLERANCE), "a replay ten minutes later");

        JsonNode deliveries = awaitDeliveries(api, id, 3);
        assertEquals(3, deliveries.size(), deliveries.toString());
        List<Integer> statuses = List.of(500, 503, 200);
        List<String> errors = java.util.Arrays.asList("http_error", "http_error", null);
        Instant previous = Instant.EPOCH;
        for (int n = 0; n < 3; n++) {
            JsonNode d = deliveries.get(n);
            assertEquals(eventId, d.get("event_id").asText(), d.toString());
            assertEquals("job.completed", d.get("type").asText());
            assertEquals(n + 1, d.get("attempt").asInt(), d.toString());
            assertEquals(statuses.get(n), d.get("http_status").asInt(), d.toString());
            assertEquals(errors.get(n), d.get("error").isNull() ? null : d.get("error").asText(), d.toString());
            assertTrue(d.get("latency_ms").isIntegralNumber() && d.get("latency_ms").asLong() >= 0, d.toString());
            Instant at = Instant.parse(d.get("at").asText());
            assertTrue(at.isAfter(previous), deliveries.toString());
            previous = at;
        }

        Api.Answer redeliver = api.post("/v1/jobs/" + id + "/webhook-deliveries/redeliver", "");
        assertEquals(202, redeliver.status(), redeliver.raw().body());
        assertEquals(eventId, redeliver.body().get("event_id").asText());
        assertEquals("job.completed", redeliver.body().get("type").asText());
        OPENAPI.assertValid("/components/schemas/Redelivery", redeliver.body());
        TestSite.HookRequest again = awaitRequests(site, path, 4).get(3);
        assertEquals(eventId, again.header("Trawl-Delivery"));
        assertSignedEvent(again, secret, "job.completed", id);
        JsonNode all = awaitDeliveries(api, id, 4);
        assertEquals(List.of(1, 2, 3, 4), java.util.stream.StreamSupport.stream(all.spliterator(), false)
                .map(d -> d.get("attempt").asInt()).toList(), all.toString());
        assertEquals(200, all.get(3).get("http_status").asInt());
        assertTrue(all.get(3).get("error").isNull(), all.toString());

        // another tenant sees neither the deliveries nor a way to send them
        Api globex = new Api(runtime.apiUrl(), LocalStackExtension.GLOBEX_KEY);
        Api.Answer foreign = globex.post("/v1/jobs/" + id + "/webhook-deliveries/redeliver", "");
        assertEquals(404, foreign.status(), foreign.raw().body());
        assertEquals("not_found", foreign.body().get("error").get("code").asText());
        assertEquals(404, globex.get("/v1/jobs/" + id + "/webhook-deliveries").status());
        assertEquals(4, site.hookRequests(path).size(), "a refused redeliver sent nothing");
    }

    @Test
    void aReplayedCreateAndARetryOfTheJobShowTheSameSecretAndTheRetrySendsItsOwnEvent(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String path = hookPath("retry-of");
        String body = job(List.of(site.url("/page/webhook-r1"), site.url("/error/webhook-r2")), site.url(path), 2);
        String key = "webhook-" + UUID.randomUUID();
        Api.Answer created = api.send(api.request("/v1/jobs").header("Idempotency-Key", key)
                .header("content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(202, created.status(), created.raw().body());
        String id = created.body().get("id").asText();
        String secret = created.body().get("webhook_secret").asText();
        Api.Answer replayed = api.send(api.request("/v1/jobs").header("Idempotency-Key", key)
                .header("content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(202, replayed.status(), replayed.raw().body());
        assertEquals(id, replayed.body().get("id").asText());
        assertEquals(secret, replayed.body().get("webhook_secret").asText(), "a replayed create answers the job's own secret");
        assertEquals("completed", api.awaitTerminal(id, WAIT).get("status").asText());
        awaitRequests(site, path, 1);

        Api.Answer retry = api.post("/v1/jobs/" + id + "/retry", "");
        assertEquals(202, retry.status(), retry.raw().body());
        String retryId = retry.body().get("id").asText();
        assertEquals(secret, retry.body().path("webhook_secret").asText(), "the retry answer shows the copied secret");
        OPENAPI.assertValid("/components/schemas/JobCreated", retry.body());
        assertFalse(api.get("/v1/jobs/" + retryId).body().has("webhook_secret"));
        assertEquals("completed", api.awaitTerminal(retryId, WAIT).get("status").asText());
        List<TestSite.HookRequest> received = awaitRequests(site, path, 2);
        assertEquals("evt_" + retryId.substring("job_".length()), received.get(1).header("Trawl-Delivery"));
        JsonNode event = assertSignedEvent(received.get(1), secret, "job.completed", retryId);
        assertEquals(id, event.get("data").get("retry_of").asText());
    }

    @Test
    void redeliverIsRefusedWhileTheJobRunsAndWithoutAWebhookAndACancelledJobSaysSo(LocalRuntime runtime, TestSite site)
            throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String path = hookPath("cancelled");
        String slow = "/slow/webhook-cancel-" + UUID.randomUUID() + "-";
        List<String> urls = java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(n -> site.url(slow + n + "?ms=1500")).toList();
        Api.Answer created = create(api, job(urls, site.url(path), 1));
        String id = created.body().get("id").asText();
        String secret = created.body().get("webhook_secret").asText();

        awaitStatus(api, id, "running");
        Api.Answer active = api.post("/v1/jobs/" + id + "/webhook-deliveries/redeliver", "");
        assertEquals(409, active.status(), active.raw().body());
        assertEquals("job_active", active.body().get("error").get("code").asText());
        OPENAPI.assertValid("/components/schemas/Error", active.body());
        Api.Answer none = api.get("/v1/jobs/" + id + "/webhook-deliveries");
        assertEquals(200, none.status());
        assertEquals(0, none.body().get("deliveries").size(), none.raw().body());

        assertEquals(202, api.post("/v1/jobs/" + id + "/cancel", "").status());
        assertEquals("cancelled", api.awaitTerminal(id, WAIT).get("status").asText());
        TestSite.HookRequest request = awaitRequests(site, path, 1).getFirst();
        assertSignedEvent(request, secret, "job.cancelled", id);
        JsonNode deliveries = awaitDeliveries(api, id, 1);
        assertEquals("job.cancelled", deliveries.get(0).get("type").asText());
        assertEquals(200, deliveries.get(0).get("http_status").asInt());

        String plain = create(api, job(List.of(site.url("/page/webhook-none")), null, 1)).body().get("id").asText();
        assertEquals("completed", api.awaitTerminal(plain, WAIT).get("status").asText());
        Api.Answer noWebhook = api.post("/v1/jobs/" + plain + "/webhook-deliveries/redeliver", "");
        assertEquals(409, noWebhook.status(), noWebhook.raw().body());
        assertEquals("no_webhook", noWebhook.body().get("error").get("code").asText());
        OPENAPI.assertValid("/components/schemas/Error", noWebhook.body());
        Api.Answer empty = api.get("/v1/jobs/" + plain + "/webhook-deliveries");
        assertEquals(200, empty.status());
        assertEquals(0, empty.body().get("deliveries").size());
        assertFalse(create(api, job(List.of(site.url("/page/webhook-none")), null, 1)).body().has("webhook_secret"));
        assertEquals(404, api.get("/v1/jobs/job_00000000000000000000000000/webhook-deliveries").status());
        assertEquals(404, api.post("/v1/jobs/job_00000000000000000000000000/webhook-deliveries/redeliver", "").status());
    }

    @Test
    void aWebhookToAPrivateAddressIsRefusedOnceAndNotRetried(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        Api.Answer created = create(api, job(List.of(site.url("/page/webhook-blocked")), "http://10.0.0.1/hook", 1));
        String id = created.body().get("id").asText();
        assertEquals("completed", api.awaitTerminal(id, WAIT).get("status").asText());

        JsonNode deliveries = awaitDeliveries(api, id, 1);
        JsonNode d = deliveries.get(0);
        assertEquals(1, d.get("attempt").asInt());
        assertEquals("job.completed", d.get("type").asText());
        assertEquals("blocked_target", d.get("error").asText(), d.toString());
        assertTrue(d.get("http_status").isNull(), d.toString());
        // A retry would be due 1 s after the attempt (the local base); wait well past the second one's due time.
        Instant quietUntil = Instant.parse(d.get("at").asText()).plusSeconds(4);
        while (Instant.now().isBefore(quietUntil)) {
            Thread.sleep(200);
        }
        JsonNode later = api.get("/v1/jobs/" + id + "/webhook-deliveries").body().get("deliveries");
        assertEquals(1, later.size(), "a refused target was tried again: " + later);
    }

    @Test
    void aWebhookThatIsNotAnHttpUrlIsRefusedAtCreation(LocalRuntime runtime) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        for (String webhook : List.of("ftp://example.com/hook", "/hooks/jobs", "https://user:pw@example.com/hook",
                "https://example.com/hook#frag", "https://example.com/" + "a".repeat(2048))) {
            Api.Answer refused = api.post("/v1/jobs", job(List.of("https://example.com/"), webhook, 1));
            assertEquals(400, refused.status(), webhook + ": " + refused.raw().body());
            assertEquals("webhook", refused.body().get("error").get("field").asText(), refused.raw().body());
            assertFalse(OPENAPI.validate("/components/schemas/CreateJob",
                    Json.read(job(List.of("https://example.com/"), webhook, 1), JsonNode.class)).isEmpty(),
                    "openapi.yaml takes what the service refuses: " + webhook);
        }
    }
}
