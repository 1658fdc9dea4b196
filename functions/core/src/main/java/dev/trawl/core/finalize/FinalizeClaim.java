package dev.trawl.core.finalize;

import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.WorkQueue;

import java.time.Clock;

/**
 * The one way to ask for a job's finalize: claim it (the store grants the claim once, when every chunk is committed),
 * then send the request. A request that could not be sent gives the claim back, so that the next step to try (a
 * redelivery, the reaper) can claim it again instead of waiting for a finalize nobody asked for.
 */
public final class FinalizeClaim {
    private final JobStore jobs;
    private final WorkQueue queue;
    private final Clock clock;

    public FinalizeClaim(JobStore jobs, WorkQueue queue, Clock clock) {
        this.jobs = jobs;
        this.queue = queue;
        this.clock = clock;
    }

    /** True when this call claimed finalize and asked for it; false when the claim was not to be had. */
    public boolean claimAndRequest(JobRef job) {
        if (!jobs.claimFinalize(job.tenant(), job.jobId(), clock.instant())) {
            return false;
        }
        try {
            queue.requestFinalize(job);
        } catch (RuntimeException e) {
            jobs.releaseFinalize(job.tenant(), job.jobId());
            throw e;
        }
        return true;
    }
}
