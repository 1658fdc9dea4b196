package dev.trawl.core.port;

import dev.trawl.core.work.ChunkTask;
import dev.trawl.core.work.JobRef;

import java.util.List;

/** The pipeline's queues: plan, chunk and finalize. */
public interface WorkQueue {
    void requestPlan(JobRef job);

    void enqueueChunks(List<ChunkTask> chunks);

    void requestFinalize(JobRef job);
}
