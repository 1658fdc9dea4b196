package dev.trawl.core.reap;

import dev.trawl.core.port.JobStore;
import dev.trawl.core.util.Log;
import dev.trawl.core.work.JobRef;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The scheduled sweep: stops every live job that has outlived its {@code max_lifetime_s}. Its workers then skip
 * what is left with {@code lifetime_exceeded}, and the finalizer ends it {@code cancelled} with what was done.
 */
public final class ReapJobs {
    private static final Log LOG = Log.of("reaper");
    private static final int PAGE = 100;
    private final JobStore jobs;
    private final Clock clock;

    public ReapJobs(JobStore jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Returns how many jobs it stopped. */
    public int reap() {
        Instant now = clock.instant();
        int stopped = 0;
        Set<String> seen = new HashSet<>();
        List<JobRef> overdue;
        // Jobs stopped here, and jobs already stopping, stay overdue until they end and come first again: each read
        // asks for a page more than the last, so that the ones behind them are reached; each job is tried once.
        for (int limit = PAGE; ; limit += PAGE) {
            overdue = jobs.overdue(now, limit);
            for (JobRef job : overdue) {
                if (seen.add(job.jobId()) && jobs.expire(job.tenant(), job.jobId(), now)) {
                    stopped++;
                    LOG.info(job.jobId(), "max_lifetime_s passed; the job is stopped", "tenant", job.tenant());
                }
            }
            if (overdue.size() < limit) {
                return stopped;
            }
        }
    }
}
