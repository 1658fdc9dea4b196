package dev.trawl.core.webhook;

import dev.trawl.core.job.Job;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.port.WorkQueue;

import java.time.Clock;
import java.time.Duration;

/**
 * Queues the first attempt of a job's terminal event, from the step that ended the job (the finalizer, or a planner
 * that failed it), and again from a redelivery of that step when the first announcement was lost on the way.
 */
public final class Announcer {
    private final WebhookDeliveries deliveries;
    private final WorkQueue queue;
    private final Clock clock;

    public Announcer(WebhookDeliveries deliveries, WorkQueue queue, Clock clock) {
        this.deliveries = deliveries;
        this.queue = queue;
        this.clock = clock;
    }

    /** The job has just ended: its event is queued if it has a webhook. */
    public void ended(Job job) {
        if (job.settings().webhook() != null) {
            queue.sendWebhook(WebhookTask.first(job.tenant(), job.id(), 1, clock.instant()), Duration.ZERO);
        }
    }

    /**
     * The job ended in an earlier delivery of the step: its event is queued again when no attempt was ever recorded
     * (that delivery broke before queueing it). A duplicate is harmless: an attempt made already is not made again.
     */
    public void endedEarlier(Job job) {
        if (job.settings().webhook() != null && deliveries.latest(job.tenant(), job.id(), 1).isEmpty()) {
            ended(job);
        }
    }
}
