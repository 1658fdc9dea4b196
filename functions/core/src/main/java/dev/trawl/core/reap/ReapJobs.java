package dev.trawl.core.reap;

import dev.trawl.core.port.JobStore;
import dev.trawl.core.util.Log;
import dev.trawl.core.work.JobRef;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

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
        List<JobRef> overdue;
        do {
            overdue = jobs.overdue(now, PAGE);
            int stoppedInPage = 0;
            for (JobRef job : overdue) {
                if (jobs.expire(job.tenant(), job.jobId(), now)) {
                    stoppedInPage++;
                    LOG.info(job.jobId(), "max_lifetime_s passed; the job is stopped", "tenant", job.tenant());
                }
            }
            stopped += stoppedInPage;
            // Jobs already stopping stay overdue until they end; only a page that stopped some is worth another look.
            if (stoppedInPage == 0) {
                break;
            }
        } while (overdue.size() == PAGE);
        return stopped;
    }
}
