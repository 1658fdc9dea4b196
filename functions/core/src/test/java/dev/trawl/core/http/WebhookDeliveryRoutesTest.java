package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.Webhook;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.util.Json;
import dev.trawl.core.webhook.WebhookEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.TENANT_B;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.json;
import static dev.trawl.core.http.ApiFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code GET /v1/jobs/{id}/webhook-deliveries} lists the attempts to deliver the job's event, and
 * {@code POST /v1/jobs/{id}/webhook-deliveries/redeliver} queues that event again as the next attempt, for a finished
 * job with a webhook only. The secret shown at creation is {@link CreateJobRouteTest}'s.
 */
class WebhookDeliveryRoutesTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    /** {@code GET /v1/jobs/{id}/webhook-deliveries} */
    private ApiResponse deliveries(String id, String tenant) {
        return api.handle(request("GET /v1/jobs/{id}/webhook-deliveries", Map.of("id", id), Map.of(), null, tenant));
    }

    /** {@code POST /v1/jobs/{id}/webhook-deliveries/redeliver} */
    private ApiResponse redeliver(String id, String tenant) {
        return api.handle(request("POST /v1/jobs/{id}/webhook-deliveries/redeliver", Map.of("id", id), Map.of(), null, tenant));
    }

    @Test
    void deliveriesListTheAttemptsOfTheJobsEventInOrder() throws Exception {
        JobSettings hooked = JobSettings.DEFAULTS.withWebhook(new Webhook("https://hooks.example.com/t", "whsec_x"));
        Job job = api.stored(TENANT_A, JobStatus.COMPLETED, "done", hooked);
        String eventId = WebhookEvent.id(job.id());
        api.jobs.record(TENANT_A, job.id(), new WebhookDelivery(eventId, "job.completed", 1, api.clock.instant(), 500, 40,
                "http_error"));
        api.jobs.record(TENANT_A, job.id(), new WebhookDelivery(eventId, "job.completed", 2,
                api.clock.instant().plusSeconds(60), null, 10_000, "timeout"));

        JsonNode body = json(deliveries(job.id(), TENANT_A));
        assertEquals(Json.parse("""
                {"deliveries": [
                  {"event_id": "%1$s", "type": "job.completed", "attempt": 1, "at": "%2$s", "http_status": 500, "latency_ms": 40, "error": "http_error"},
                  {"event_id": "%1$s", "type": "job.completed", "attempt": 2, "at": "%3$s", "http_status": null, "latency_ms": 10000, "error": "timeout"}
                ]}""".formatted(eventId, api.clock.instant(), api.clock.instant().plusSeconds(60))), body);
        assertError(deliveries(job.id(), TENANT_B), 404, "not_found");
        assertEquals(Json.parse("{\"deliveries\": []}"),
                json(deliveries(api.stored(TENANT_A, JobStatus.COMPLETED, "plain").id(), TENANT_A)));
    }

    @Test
    void redeliverQueuesTheSameEventAsTheNextAttempt() throws Exception {
        JobSettings hooked = JobSettings.DEFAULTS.withWebhook(new Webhook("https://hooks.example.com/t", "whsec_x"));
        Job job = api.stored(TENANT_A, JobStatus.FAILED, "failed", hooked);
        api.jobs.record(TENANT_A, job.id(), new WebhookDelivery(WebhookEvent.id(job.id()), "job.failed", 3,
                api.clock.instant(), 200, 5, null));

        ApiResponse response = redeliver(job.id(), TENANT_A);

        assertEquals(202, response.status(), response.body());
        assertEquals(Json.parse("{\"event_id\": \"" + WebhookEvent.id(job.id()) + "\", \"type\": \"job.failed\"}"), json(response));
        assertEquals(List.of(WebhookTask.first(TENANT_A, job.id(), 4, api.clock.instant())), api.queue.webhooks);
        assertError(redeliver(job.id(), TENANT_B), 404, "not_found");
        assertError(redeliver(api.stored(TENANT_A, JobStatus.RUNNING, "live", hooked).id(), TENANT_A), 409, "job_active");
        assertError(redeliver(api.stored(TENANT_A, JobStatus.COMPLETED, "plain").id(), TENANT_A), 409, "no_webhook");
        assertEquals(1, api.queue.webhooks.size());
    }
}
