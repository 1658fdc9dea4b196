package dev.trawl.core.message;

import java.time.Instant;

/**
 * One attempt to deliver a job's event, as {@code GET /v1/jobs/{id}/webhook-deliveries} lists it.
 *
 * @param httpStatus the receiver's answer, or null when there was none
 * @param error      null when delivered; else why not ({@code http_error}, {@code timeout}, {@code blocked_target}, …)
 */
public record WebhookDelivery(String eventId, String type, int attempt, Instant at, Integer httpStatus, long latencyMs,
                              String error) {
}
