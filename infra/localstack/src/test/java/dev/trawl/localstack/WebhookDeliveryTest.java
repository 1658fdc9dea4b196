package dev.trawl.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;
import dev.trawl.core.webhook.WebhookSignature;
import dev.trawl.local.Api;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.TestSite;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job's webhook on LocalStack: the event goes through LocalStack's webhook queue, a receiver that fails once gets
 * the same signed event again (retries from one second here), and every attempt is listed by the API.
 */
@NeedsDocker
class WebhookDeliveryTest {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Test
    void aFailingReceiverGetsTheSameSignedEventAgainAndEveryAttemptIsListed(LocalRuntime runtime, TestSite site)
            throws Exception {
        Api api = new Api(runtime.apiUrl(), OnLocalStack.ACME_KEY);
        String path = "/hook/localstack-" + UUID.randomUUID();
        site.hookAnswers(path, 500);
        Api.Answer created = api.post("/v1/jobs", Json.write(Json.MAPPER.createObjectNode()
                .put("name", "webhook").put("webhook", site.url(path))
                .set("input", Json.object().set("urls", Json.MAPPER.valueToTree(
                        List.of(site.url("/page/webhook-1"), site.url("/page/webhook-2")))))));
        assertEquals(202, created.status(), created.raw().body());
        String id = created.body().get("id").asText();
        String secret = created.body().get("webhook_secret").asText();

        JsonNode job = api.awaitTerminal(id, WAIT);
        assertEquals("completed", job.get("status").asText(), job.toString());
        List<TestSite.HookRequest> received = Api.await("two POSTs to " + path, WAIT, () -> site.hookRequests(path),
                r -> r.size() >= 2);
        String eventId = received.getFirst().header("Trawl-Delivery");
        for (TestSite.HookRequest request : received) {
            assertEquals("POST", request.method());
            assertEquals(eventId, request.header("Trawl-Delivery"));
            assertEquals("job.completed", request.header("Trawl-Event"));
            assertTrue(WebhookSignature.verify(secret, request.header("Trawl-Signature"), request.body(), Instant.now(),
                    WebhookSignature.DEFAULT_TOLERANCE), "the signature does not verify: " + request);
            JsonNode event = Json.read(request.body(), JsonNode.class);
            assertEquals(eventId, event.get("id").asText());
            assertEquals(id, event.get("data").get("id").asText());
            assertEquals(2, event.get("data").get("urls_ok").asInt());
        }

        JsonNode deliveries = Api.await("two deliveries listed", WAIT,
                () -> api.get("/v1/jobs/" + id + "/webhook-deliveries").body().get("deliveries"), d -> d.size() >= 2);
        assertEquals(List.of(500, 200), List.of(deliveries.get(0).get("http_status").asInt(),
                deliveries.get(1).get("http_status").asInt()), deliveries.toString());
        assertEquals(List.of(1, 2), List.of(deliveries.get(0).get("attempt").asInt(), deliveries.get(1).get("attempt").asInt()));
    }
}
