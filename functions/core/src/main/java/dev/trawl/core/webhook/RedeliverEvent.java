package dev.trawl.core.webhook;

import dev.trawl.core.error.Conflict;
import dev.trawl.core.job.Job;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.port.WorkQueue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Sends a finished job's terminal event again, as a new run of attempts numbered after the last. */
public final class RedeliverEvent {
    private final WebhookDeliveries deliveries;
    private final WorkQueue queue;
    private final Clock clock;

    public RedeliverEvent(WebhookDeliveries deliveries, WorkQueue queue, Clock clock) {
        this.deliveries = deliveries;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * Refused ({@code job_active}) while the job runs, and ({@code no_webhook}) for a job without a webhook.
     *
     * @return the event's id, the same as every earlier attempt's
     */
    public String redeliver(Job job) {
        if (!job.status().terminal()) {
            throw new Conflict("job_active", "The job is still " + job.status().wire()
                    + "; its event is sent when it ends.");
        }
        if (job.settings().webhook() == null) {
            throw new Conflict("no_webhook", "The job was created without a webhook; there is no event to send.");
        }
        List<WebhookDelivery> past = deliveries.latest(job.tenant(), job.id(), WebhookDeliveries.LISTED);
        int attempt = past.stream().mapToInt(WebhookDelivery::attempt).max().orElse(0) + 1;
        queue.sendWebhook(WebhookTask.first(job.tenant(), job.id(), attempt, clock.instant()), Duration.ZERO);
        return WebhookEvent.id(job.id());
    }
}
