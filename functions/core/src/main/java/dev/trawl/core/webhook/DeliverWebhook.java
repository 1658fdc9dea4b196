package dev.trawl.core.webhook;

import dev.trawl.core.fetch.WebhookPoster;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.Webhook;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.Secrets;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.util.Log;
import dev.trawl.core.view.PartLinks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends a job's terminal event to its webhook, signed, and records the attempt. A failed attempt that may succeed
 * later is retried with exponential backoff (with jitter) until the run of attempts has lasted {@code window}; the
 * last attempt is the first one due after it, so a receiver gets attempts for at least that long.
 */
public final class DeliverWebhook {
    private static final Log LOG = Log.of("webhook");
    public static final Duration DEFAULT_BASE = Duration.ofMinutes(1);
    public static final Duration DEFAULT_CAP = Duration.ofHours(4);
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    private final JobStore jobs;
    private final WebhookDeliveries deliveries;
    private final PartLinks links;
    private final Secrets secrets;
    private final WorkQueue queue;
    private final WebhookPoster poster;
    private final Clock clock;
    private final Duration base;
    private final Duration cap;
    private final Duration window;

    public DeliverWebhook(JobStore jobs, WebhookDeliveries deliveries, PartLinks links, Secrets secrets, WorkQueue queue,
                          WebhookPoster poster, Clock clock, Duration base, Duration cap, Duration window) {
        this.jobs = jobs;
        this.deliveries = deliveries;
        this.links = links;
        this.secrets = secrets;
        this.queue = queue;
        this.poster = poster;
        this.clock = clock;
        this.base = base;
        this.cap = cap;
        this.window = window;
    }

    public void deliver(WebhookTask task) throws InterruptedException {
        Instant now = clock.instant();
        if (task.due().isAfter(now)) {
            queue.sendWebhook(task, min(Duration.between(now, task.due()), WorkQueue.MAX_DELAY));
            return;
        }
        Job job = jobs.find(task.tenant(), task.jobId()).orElse(null);
        Webhook webhook = job == null ? null : job.settings().webhook();
        if (job == null || webhook == null || !job.status().terminal()) {
            LOG.warn(task.jobId(), "webhook for a job that is gone, has no webhook, or is not terminal; dropped");
            return;
        }
        WebhookDelivery latest = deliveries.latest(job.tenant(), job.id(), 1).stream().findFirst().orElse(null);
        if (latest != null && latest.attempt() >= task.attempt()) {
            // This attempt was made already (the message came again) or a later run went past it: no second POST.
            // A failed attempt's retry may never have been queued (the send failed, so the message came back): queue
            // it, as the attempt would have. At worst a run then has two messages per attempt, still one POST each.
            if (latest.attempt() == task.attempt() && latest.error() != null
                    && WebhookPoster.worthRetrying(latest.error())) {
                scheduleRetry(task, latest.at(), job.id());
            } else {
                LOG.info(job.id(), "webhook attempt made already or overtaken; dropped", "attempt", task.attempt());
            }
            return;
        }
        String eventId = WebhookEvent.id(job.id());
        String type = WebhookEvent.type(job);
        String body = WebhookEvent.body(job, now, links);
        Instant at = clock.instant();
        WebhookPoster.Result result = poster.post(webhook.url(), Map.of(
                "Trawl-Event", type,
                "Trawl-Delivery", eventId,
                "Trawl-Signature", WebhookSignature.header(secrets.open(webhook.secret(), job.id()), at, body)), body);
        deliveries.record(job.tenant(), job.id(),
                new WebhookDelivery(eventId, type, task.attempt(), at, result.httpStatus(), result.latencyMs(), result.error()));
        if (result.delivered()) {
            LOG.info(job.id(), "webhook delivered", "event_id", eventId, "attempt", task.attempt(),
                    "http_status", result.httpStatus(), "latency_ms", result.latencyMs());
            return;
        }
        LOG.warn(job.id(), "webhook attempt failed", "event_id", eventId, "attempt", task.attempt(),
                "error", result.error(), "http_status", result.httpStatus());
        if (result.worthRetrying()) {
            scheduleRetry(task, at, job.id());
        }
    }

    /** Queues the next attempt after a failed one made {@code at}, while the run is younger than the window. */
    private void scheduleRetry(WebhookTask task, Instant at, String jobId) {
        if (Duration.between(task.firstAttempt(), at).compareTo(window) >= 0) {
            LOG.warn(jobId, "webhook attempts went on for the whole window; no more", "attempt", task.attempt());
            return;
        }
        Duration wait = backoff(task.attempt());
        queue.sendWebhook(task.next(at.plus(wait)), min(wait, WorkQueue.MAX_DELAY));
    }

    /** base × 2^(attempt−1), at most {@code cap}, less up to a tenth at random so receivers are not hit in waves. */
    Duration backoff(int attempt) {
        Duration full = base.multipliedBy(1L << Math.min(attempt - 1, 30));
        Duration capped = full.compareTo(cap) > 0 || full.isNegative() ? cap : full;
        long jitter = capped.toMillis() / 10 == 0 ? 0 : ThreadLocalRandom.current().nextLong(capped.toMillis() / 10);
        return capped.minusMillis(jitter);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
