package dev.trawl.core.manage;

import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.JobRemoval;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.PurgeRequests;
import dev.trawl.core.util.Log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Removes terminal jobs; a live job is never removed. With a purge queue, the request removes each job's record (one
 * conditional delete: the job is gone for every reader at once) and queues the rest, its files and the table's items
 * beside it, for {@link PurgeJobFiles}; a bulk removal stops after {@link #BUDGET} and says there is more.
 */
public final class RemoveJobs {
    private static final Log LOG = Log.of("api");
    private static final int PAGE = 100;
    /** How long a bulk removal goes on in one request: well within API Gateway's 29 s. */
    static final Duration BUDGET = Duration.ofSeconds(10);
    private final JobStore jobs;
    private final BlobStore blobs;
    private final JobRemoval removal;
    private final PurgeRequests purges;
    private final Clock clock;

    /** Everything in the request, files included: for tests of other things, which have no purge queue. */
    public RemoveJobs(JobStore jobs, BlobStore blobs) {
        this(jobs, blobs, null, null, Clock.systemUTC());
    }

    /** @param removal and {@code purges}: the record removed in the request, the rest queued (null: all in it) */
    public RemoveJobs(JobStore jobs, BlobStore blobs, JobRemoval removal, PurgeRequests purges, Clock clock) {
        this.jobs = jobs;
        this.blobs = blobs;
        this.removal = removal;
        this.purges = purges;
        this.clock = clock;
    }

    /** What a bulk removal did: how many jobs it removed, and whether matching jobs remain for another call. */
    public record Removed(long deleted, boolean more) {
    }

    /** Removes a terminal job: its record now and the rest queued, or everything here without a purge queue. */
    public JobStore.Purge remove(String tenant, String jobId) {
        Optional<Job> job = jobs.find(tenant, jobId);
        if (job.isEmpty()) {
            return JobStore.Purge.ABSENT;
        }
        if (!job.get().status().terminal()) {
            return JobStore.Purge.ACTIVE;
        }
        if (purges != null) {
            // queued first: a request that fails after it leaves the record to the purger, never files nothing names
            purges.requestPurge(new JobRef(tenant, jobId));
            JobStore.Purge removed = removal.removeRecord(tenant, jobId);
            if (removed == JobStore.Purge.ABSENT) {
                removed = JobStore.Purge.REMOVED; // terminal when read: the purger, quicker, removed it for this request
            }
            LOG.info(jobId, "job removed; its files are queued for removal", "outcome", removed.name());
            return removed;
        }
        // Files first: a crash then leaves a record that a second purge removes, never files nothing points to.
        blobs.deletePrefix(BucketLayout.resultPrefix(tenant, jobId));
        blobs.deletePrefix(BucketLayout.workPrefix(jobId));
        JobStore.Purge purged = jobs.purge(tenant, jobId);
        LOG.info(jobId, "job removed", "outcome", purged.name());
        return purged;
    }

    /**
     * Removes every job of the tenant that is in one of {@code statuses} (terminal ones only) when read, until
     * {@link #BUDGET} has passed: then {@code more} says that matching jobs may remain (a new call goes on, since
     * those removed are no longer listed).
     */
    public Removed removeAll(String tenant, Set<JobStatus> statuses) {
        if (statuses.stream().anyMatch(s -> !s.terminal())) {
            throw new IllegalArgumentException("only terminal jobs are removed");
        }
        Instant stop = clock.instant().plus(BUDGET);
        long removed = 0;
        String before = null;
        do {
            JobStore.JobPage page = jobs.list(tenant, new JobStore.JobQuery(statuses, null, PAGE, before));
            for (Job job : page.jobs()) {
                if (!clock.instant().isBefore(stop)) {
                    LOG.info(null, "bulk removal out of time; more remain", "tenant", tenant, "deleted", removed);
                    return new Removed(removed, true);
                }
                if (job.status().terminal() && remove(tenant, job.id()) == JobStore.Purge.REMOVED) {
                    removed++;
                }
            }
            before = page.nextBeforeId();
        } while (before != null);
        return new Removed(removed, false);
    }
}
