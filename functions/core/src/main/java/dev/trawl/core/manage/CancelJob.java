package dev.trawl.core.manage;

import dev.trawl.core.job.Job;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.util.Log;

import java.time.Clock;
import java.util.Optional;

/**
 * Cancels a job gracefully: fetches in flight finish, the rest become {@code skipped}, the partial result is
 * written. Idempotent: a terminal job stays as it is.
 */
public final class CancelJob {
    private static final Log LOG = Log.of("api");
    private final JobStore jobs;
    private final Clock clock;

    public CancelJob(JobStore jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /** The job after the request: {@code cancelling} when it was live, unchanged when terminal; empty when none. */
    public Optional<Job> cancel(String tenant, String jobId) {
        if (jobs.cancel(tenant, jobId, clock.instant())) {
            LOG.info(jobId, "cancel requested");
        }
        return jobs.find(tenant, jobId);
    }
}
