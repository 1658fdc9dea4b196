package dev.trawl.core.testing;

import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.port.PurgeRequests;
import dev.trawl.core.port.WorkQueue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link WorkQueue} that only records what was sent. */
public final class RecordingWorkQueue implements WorkQueue, PurgeRequests {
    /** The purge queue's messages, in order. */
    public final List<JobRef> purgeRequests = new CopyOnWriteArrayList<>();
    public final List<JobRef> planRequests = new CopyOnWriteArrayList<>();
    public final List<ChunkTask> chunks = new CopyOnWriteArrayList<>();
    public final List<JobRef> finalizeRequests = new CopyOnWriteArrayList<>();
    public final List<WebhookTask> webhooks = new CopyOnWriteArrayList<>();
    public final List<Duration> webhookDelays = new CopyOnWriteArrayList<>();

    @Override
    public void requestPlan(JobRef job) {
        planRequests.add(job);
    }

    @Override
    public void enqueueChunks(List<ChunkTask> tasks) {
        chunks.addAll(tasks);
    }

    @Override
    public void requestFinalize(JobRef job) {
        finalizeRequests.add(job);
    }

    @Override
    public void sendWebhook(WebhookTask task, Duration delay) {
        webhooks.add(task);
        webhookDelays.add(delay);
    }

    @Override
    public void requestPurge(JobRef job) {
        purgeRequests.add(job);
    }
}
