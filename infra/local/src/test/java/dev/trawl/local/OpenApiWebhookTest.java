package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.fetch.WebhookPoster;
import dev.trawl.core.util.Json;
import dev.trawl.core.webhook.DeliverWebhook;
import dev.trawl.core.webhook.WebhookSignature;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What openapi.yaml says of webhooks holds: its signature test vector verifies with the service's own
 * {@link WebhookSignature}, the create schema takes exactly the webhook URLs the service takes, and the numbers of
 * the retry schedule are the code's.
 */
class OpenApiWebhookTest {
    private static final OpenApiSchemas OPENAPI = OpenApiSchemas.get();
    private static final String CREATE = "/components/schemas/CreateJob";
    private static final String JOB_ENDED = "/webhooks/jobEnded/post";

    private static JsonNode header(String name) {
        for (JsonNode parameter : OPENAPI.doc().at(JOB_ENDED + "/parameters")) {
            if (parameter.path("name").asText().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError("webhooks.jobEnded has no header " + name);
    }

    @Test
    void theSignatureTestVectorVerifiesAndOnlyForItsBodyAndSecret() {
        String description = OPENAPI.doc().at(JOB_ENDED + "/description").asText();
        String secret = "whsec_Hq3ZrX0p7bLk2VfN9sYc4TdWm6JaE1uG";
        assertTrue(description.contains("`" + secret + "`"), "the test vector's secret moved");
        assertTrue(description.contains("`t=1778551664`"), "the test vector's t moved");
        JsonNode event = OPENAPI.doc().at(JOB_ENDED + "/requestBody/content/application~1json/examples/completed/value");
        assertTrue(event.isObject());
        String body = Json.write(event);
        String signature = header("Trawl-Signature").at("/examples/completed/value").asText();
        Instant t = Instant.ofEpochSecond(1778551664);
        assertEquals(WebhookSignature.header(secret, t, body), signature, "the documented signature is not the service's");
        assertTrue(WebhookSignature.verify(secret, signature, body, t.plusSeconds(299), WebhookSignature.DEFAULT_TOLERANCE));
        assertFalse(WebhookSignature.verify(secret, signature, body, t.plusSeconds(301), WebhookSignature.DEFAULT_TOLERANCE),
                "a replay past the tolerance");
        assertFalse(WebhookSignature.verify(secret, signature, body.replace("\"urls_ok\":993", "\"urls_ok\":994"), t,
                WebhookSignature.DEFAULT_TOLERANCE), "a tampered body");
        assertFalse(WebhookSignature.verify(secret + "x", signature, body, t, WebhookSignature.DEFAULT_TOLERANCE), "another secret");

        assertEquals(event.get("id").asText(), header("Trawl-Delivery").at("/examples/completed/value").asText());
        assertEquals(event.get("type").asText(), header("Trawl-Event").at("/examples/completed/value").asText());
        assertEquals("evt_" + event.at("/data/id").asText().substring("job_".length()), event.get("id").asText());
        assertEquals(event.at("/data/completed_at"), event.get("created_at"));
    }

    @Test
    void theCreateSchemaTakesTheWebhookUrlsTheServiceTakes() {
        for (String ok : List.of("https://your-app.example/hooks/jobs", "http://hooks.example.com:8080/a/b?c=d&e=f",
                "HTTPS://example.com", "https://example.com/p@th")) {
            assertEquals(List.of(), OPENAPI.validate(CREATE, create(Json.MAPPER.valueToTree(ok))), ok);
        }
        assertEquals(List.of(), OPENAPI.validate(CREATE, create(Json.MAPPER.nullNode())));
        for (String refused : List.of("ftp://example.com/hook", "/hooks/jobs", "https://user:pw@example.com/hook",
                "https://example.com/hook#frag", "https://example.com/" + "a".repeat(2048), "https:///nohost", "")) {
            assertFalse(OPENAPI.validate(CREATE, create(Json.MAPPER.valueToTree(refused))).isEmpty(), refused);
        }
        assertFalse(OPENAPI.validate(CREATE, create(Json.MAPPER.valueToTree(42))).isEmpty());
    }

    private static ObjectNode create(JsonNode webhook) {
        ObjectNode body = Json.object();
        body.putObject("input").putArray("urls").add("https://example.com/");
        body.set("webhook", webhook);
        return body;
    }

    @Test
    void theSecretIsInTheCreatedJobOnlyAndTheDeliveriesFollowTheirSchema() {
        ObjectNode job = (ObjectNode) OPENAPI.doc().at("/paths/~1v1~1jobs/post/responses/202/content/application~1json/examples/queued/value").deepCopy();
        OPENAPI.assertValid("/components/schemas/JobCreated", job);
        job.put("webhook_secret", "secret");
        assertFalse(OPENAPI.validate("/components/schemas/JobCreated", job).isEmpty(), "a secret without whsec_");
        job.put("status", "exploded");
        job.remove("webhook_secret");
        assertFalse(OPENAPI.validate("/components/schemas/JobCreated", job).isEmpty(), "JobCreated is a Job");

        ObjectNode delivery = Json.object();
        delivery.put("event_id", "evt_01JV3Q8R2M5K7N9P4T6W8Y0ZAB").put("type", "job.completed").put("attempt", 1)
                .put("at", "2026-05-12T02:07:44.231Z").put("latency_ms", 3).putNull("http_status").put("error", "blocked_target");
        OPENAPI.assertValid("/components/schemas/WebhookDelivery", delivery);
        delivery.put("error", "teapot");
        assertFalse(OPENAPI.validate("/components/schemas/WebhookDelivery", delivery).isEmpty(), "an unknown error code");
        delivery.put("error", "http_error").put("type", "job.running");
        assertFalse(OPENAPI.validate("/components/schemas/WebhookDelivery", delivery).isEmpty(), "a non-terminal type");
    }

    @Test
    void theDocumentedScheduleIsTheCodes() {
        String info = OPENAPI.doc().at("/info/description").asText().replaceAll("\\s+", " ");
        assertEquals(Duration.ofMinutes(1), DeliverWebhook.DEFAULT_BASE);
        assertTrue(info.contains("base is 60 s"), "base");
        assertEquals(Duration.ofHours(4), DeliverWebhook.DEFAULT_CAP);
        assertTrue(info.contains("at most 4 h"), "cap");
        assertEquals(Duration.ofHours(24), DeliverWebhook.DEFAULT_WINDOW);
        assertTrue(info.contains("less than 24 h have passed since the run's first attempt"), "window");
        assertEquals(Duration.ofSeconds(10), WebhookPoster.TIMEOUT);
        assertTrue(info.contains("within 10 s"), "time-out");
        assertEquals(Duration.ofMinutes(5), WebhookSignature.DEFAULT_TOLERANCE);
        assertTrue(OPENAPI.doc().at(JOB_ENDED + "/description").asText().contains("more than 5 minutes from your clock"));
    }
}
