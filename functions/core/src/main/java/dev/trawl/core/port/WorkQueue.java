package dev.trawl.core.port;

import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.message.WebhookTask;

import java.time.Duration;
import java.util.List;

/** The pipeline's queues: plan, chunk, finalize and webhook. */
public interface WorkQueue {
    /** The longest a queue holds a message back; longer waits are made of several hops. */
    Duration MAX_DELAY = Duration.ofMinutes(15);

    void requestPlan(JobRef job);

    void enqueueChunks(List<ChunkTask> chunks);

    void requestFinalize(JobRef job);

    /** Queues a webhook attempt, held back by {@code delay} (at most {@link #MAX_DELAY}). */
    void sendWebhook(WebhookTask task, Duration delay);
}
