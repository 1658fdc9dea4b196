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
        return jobs.claimFinalize(job.tenant(), job.jobId(), clock.instant()) && request(job);
    }

    /**
     * The same on behalf of {@code claimant}: a retry by the claimant whose claim was made but whose answer was lost
     * (a time-out, a 500 after the write) finds its own claim and asks for finalize, within the retry's delay instead
     * of the reaper's stall time. Two deliveries of one claimant may both ask; finalizing twice costs work, not rows.
     */
    public boolean claimAndRequest(JobRef job, String claimant) {
        return jobs.claimFinalize(job.tenant(), job.jobId(), claimant, clock.instant()) && request(job);
    }

    private boolean request(JobRef job) {
        try {
            queue.requestFinalize(job);
        } catch (RuntimeException e) {
            jobs.releaseFinalize(job.tenant(), job.jobId());
            throw e;
        }
        return true;
    }
}
