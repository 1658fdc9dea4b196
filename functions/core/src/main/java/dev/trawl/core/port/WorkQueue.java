package dev.trawl.core.port;

import dev.trawl.core.webhook.WebhookTask;
import dev.trawl.core.work.ChunkTask;
import dev.trawl.core.work.JobRef;

import java.time.Duration;
import java.util.List;

/** The pipeline's queues: plan, chunk, finalize and webhook. */
public interface WorkQueue {
    void requestPlan(JobRef job);

    void enqueueChunks(List<ChunkTask> chunks);

    void requestFinalize(JobRef job);

    /** Queues a webhook attempt, held back by {@code delay} (at most 15 minutes). */
    void sendWebhook(WebhookTask task, Duration delay);
}
