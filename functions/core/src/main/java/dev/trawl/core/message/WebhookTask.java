package dev.trawl.core.message;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * A webhook message: send the job's terminal event, as attempt {@code attempt} of a run of attempts that began at
 * {@code firstAttemptAt}, not before {@code dueAt} (a queue delays a message 15 minutes at most, so a longer wait
 * is made of several hops). Times are ISO-8601 text, as in every message of the service.
 */
public record WebhookTask(
        @JsonProperty("tenant") String tenant,
        @JsonProperty("job_id") String jobId,
        @JsonProperty("attempt") int attempt,
        @JsonProperty("first_attempt_at") String firstAttemptAt,
        @JsonProperty("due_at") String dueAt) {

    /** The first attempt of a run, due now. */
    public static WebhookTask first(String tenant, String jobId, int attempt, Instant now) {
        return new WebhookTask(tenant, jobId, attempt, now.toString(), now.toString());
    }

    public WebhookTask next(Instant due) {
        return new WebhookTask(tenant, jobId, attempt + 1, firstAttemptAt, due.toString());
    }

    public Instant firstAttempt() {
        return Instant.parse(firstAttemptAt);
    }

    /** When the attempt is due; a message without one is due at once. */
    public Instant due() {
        return dueAt == null ? Instant.EPOCH : Instant.parse(dueAt);
    }
}
